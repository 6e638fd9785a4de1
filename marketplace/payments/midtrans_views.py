"""The Midtrans-shaped gateway's pages: its notification webhook, the QRIS image (drawn here from the QR string,
never hotlinked) and the buyer's "Cek status pembayaran" button."""

import io

import segno
from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from marketplace.core.throttle import limit
from marketplace.extensions import csrf, db
from marketplace.payments import midtrans_events, services
from marketplace.payments.gateway import InvalidSignature
from marketplace.payments.models import PaymentStatus
from marketplace.payments.views import buyer_action

bp = Blueprint("payments_midtrans", __name__, url_prefix="/pembayaran")


@bp.post("/webhook/midtrans")
@limit("WEBHOOK_LIMIT")
@csrf.exempt
def webhook():
    payload = request.get_json(silent=True)
    try:
        outcome = midtrans_events.handle_notification(payload)
        db.session.commit()
    except InvalidSignature:
        db.session.rollback()
        abort(403)
    except (midtrans_events.AmountMismatch, KeyError, TypeError, ValueError):
        db.session.rollback()
        abort(400)
    except IntegrityError:
        db.session.rollback()  # delivered twice at once: the other delivery applied it
        outcome = "duplicate"
    return {"received": True, "outcome": outcome}


@bp.get("/<token>/qris.png")
@login_required
def qr_image(token: str):
    payment = services.payment_for_buyer(token, current_user.id)
    qr_string = (payment.details or {}).get("qr_string")
    if not qr_string or payment.status == PaymentStatus.SUCCEEDED:
        abort(404)
    image = io.BytesIO()
    segno.make(qr_string, error="m", micro=False).save(image, kind="png", scale=6, border=4)
    image.seek(0)
    response = send_file(image, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<token>/cek")
@limit("CHECKOUT_LIMIT")
@login_required
def check(token: str):
    """Asks the gateway now (the notification may be late or lost)."""
    message = _("Layanan pembayaran sedang tidak bisa dihubungi. Coba lagi sebentar lagi.")
    payment = buyer_action(token, services.refresh, message)
    if payment is not None and payment.status != PaymentStatus.SUCCEEDED and services.is_payable(payment):
        flash(_("Pembayaran belum kami terima. Jika Anda baru saja membayar, tunggu sebentar lalu cek lagi."))
    return redirect(url_for("payments.pay", token=token))
