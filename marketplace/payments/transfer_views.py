"""The buyer's side of a manual transfer: upload the proof, see it again. (Routes on the payments blueprint.)"""

from flask import current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.throttle import limit
from marketplace.payments import services, transfer
from marketplace.payments.views import bp, buyer_action


@bp.post("/<token>/bukti")
@limit("CHECKOUT_LIMIT")
@login_required
def upload_proof(token: str):
    upload = request.files.get("proof")
    # Read one byte past the cap: enough to refuse a larger file without holding all of it.
    data = upload.stream.read(current_app.config["MAX_IMAGE_BYTES"] + 1) if upload else b""
    payment = buyer_action(token, lambda p: transfer.submit_proof(p, current_user.id, data),
                           _("Bukti transfer gagal diunggah."))
    if payment is not None:
        flash(_("Bukti transfer terkirim. Koperasi akan memeriksanya."), "success")
    return redirect(url_for("payments.pay", token=token))


@bp.get("/<token>/bukti/<int:proof_id>")
@login_required
def proof(token: str, proof_id: int):
    payment = services.payment_for_buyer(token, current_user.id)
    found = transfer.proof_for_buyer(payment, proof_id)
    response = send_file(transfer.proof_file(found), mimetype=found.content_type, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
