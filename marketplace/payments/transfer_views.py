"""The buyer's side of a manual transfer: upload the proof, see it again. (Routes on the payments blueprint.)"""

from flask import Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.throttle import limit
from marketplace.payments import services, transfer
from marketplace.payments.transfer_models import TransferProof
from marketplace.payments.views import bp, buyer_action


def proof_response(proof: TransferProof) -> Response:
    """The proof file, inline, never cached by a shared cache (it shows a bank account and a name)."""
    data = transfer.proof_file(proof).read_bytes()
    extension = proof.path.rsplit(".", 1)[-1]
    return Response(data, mimetype=proof.content_type, headers={
        "Cache-Control": "private, no-store",
        "Content-Disposition": f'inline; filename="bukti-transfer-{proof.id}.{extension}"'})


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
    return proof_response(found)
