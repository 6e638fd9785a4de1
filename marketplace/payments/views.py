"""Payment pages and the gateway webhook."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import ValidationError
from marketplace.core.throttle import limit
from marketplace.extensions import csrf, db
from marketplace.payments import methods, services
from marketplace.payments.gateway import GatewayError, InvalidSignature, get_gateway
from marketplace.payments.models import PaymentStatus

bp = Blueprint("payments", __name__, url_prefix="/pembayaran")

TEST_CARDS = (("pm_card_visa", _l("Visa 4242 — berhasil")), ("pm_card_chargeCustomerFail", _l("Visa 0341 — ditolak")))


def _render(payment, status: int = 200):
    orders = services.orders_of(payment)
    return render_template(
        "payments/pay.html", payment=payment, orders=orders, payable=services.is_payable(payment),
        methods=methods.offered(payment, orders), chosen=methods.get(payment.method),
        stripe_js_url=current_app.config["STRIPE_JS_URL"],
        publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
        test_cards=TEST_CARDS if current_app.config["STRIPE_SECRET_KEY"].startswith("sk_test") else (),
    ), status


@bp.get("/<token>")
@login_required
def pay(token: str):
    payment = services.payment_for_buyer(token, current_user.id)
    try:
        services.prepare(payment)
        db.session.commit()
    except GatewayError:
        db.session.rollback()
        flash(_("Layanan pembayaran sedang tidak bisa dihubungi. Coba lagi sebentar lagi."), "error")
    return _render(payment)


def buyer_action(token: str, action, failed_message: str):
    """Runs ``action(payment)`` on the signed-in buyer's payment and commits; on a refusal or an unreachable
    gateway, rolls back and flashes why. Returns the payment, or None when nothing was done."""
    payment = services.payment_for_buyer(token, current_user.id)
    try:
        action(payment)
        db.session.commit()
    except (ValidationError, GatewayError) as error:
        db.session.rollback()
        flash(getattr(error, "message", None) or failed_message, "error")
        return None
    return payment


@bp.post("/<token>/bayar")
@limit("CHECKOUT_LIMIT")
@login_required
def submit(token: str):
    payment = buyer_action(token, lambda p: services.pay(p, request.form.get("payment_method", "")),
                           _("Pembayaran gagal diproses."))
    if payment is None or payment.status == PaymentStatus.FAILED:  # a decline is said once, by the page itself
        return redirect(url_for("payments.pay", token=token))
    return redirect(url_for("payments.pay", token=token, cek=1))


@bp.post("/<token>/metode")
@limit("CHECKOUT_LIMIT")
@login_required
def choose(token: str):
    buyer_action(token, lambda p: services.choose_method(p, request.form.get("method", "")),
                 _("Layanan pembayaran sedang tidak bisa dihubungi. Coba lagi sebentar lagi."))
    return redirect(url_for("payments.pay", token=token))


@bp.post("/webhook/stripe")
@limit("WEBHOOK_LIMIT")
@csrf.exempt
def stripe_webhook():
    try:
        event = get_gateway().parse_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except (InvalidSignature, ValueError, KeyError):
        abort(400)
    try:
        outcome = services.handle_event(event)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same event delivered twice at once: the other delivery applied it
        outcome = "duplicate"
    return {"received": True, "outcome": outcome}
