"""Payments: one per checkout. An order becomes paid only when the gateway says so — a signature-verified webhook
or a server-side retrieve — never because the browser said so. Every gateway event takes effect once."""

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotFound, ValidationError
from marketplace.core.locking import lock_rows
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders import services as orders_service
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments.gateway import GatewayError, GatewayEvent, Intent, get_gateway
from marketplace.payments.models import Payment, PaymentEvent, PaymentStatus


class PaymentFailed(ValidationError):
    code = "payment_failed"


def orders_of(payment: Payment) -> list[Order]:
    return list(db.session.scalars(select(Order).where(Order.payment_id == payment.id).order_by(Order.id)))


def _lock(payment: Payment) -> Payment:
    return lock_rows(Payment, [payment.id])[0]


def is_payable(payment: Payment) -> bool:
    return payment.status != PaymentStatus.SUCCEEDED and any(o.status == OrderStatus.UNPAID for o in orders_of(payment))


def ensure_intent(payment: Payment) -> Payment:
    """Creates the gateway's payment intent once (an idempotency key per attempt makes a retry return the same
    intent). Called outside any stock lock."""
    if payment.intent_id or not is_payable(payment):
        return payment
    intent = get_gateway().create_intent(
        payment.amount, payment.currency,
        {"opop_payment_id": str(payment.id), "checkout_token": payment.checkout_token},
        f"opop-payment-{payment.id}-{payment.attempt}",
    )
    payment.intent_id, payment.client_secret = intent.id, intent.client_secret
    db.session.flush()
    return payment


def choose_method(payment: Payment, code: str) -> Payment:
    """The buyer picks how to pay (or switches while still unpaid). The method left behind is stopped first (a
    pending virtual account is cancelled at the gateway), then the new one started. Network calls happen here
    with no row locked."""
    from marketplace.payments import methods

    if not is_payable(payment):
        raise PaymentFailed(_("Pesanan ini tidak menunggu pembayaran."))
    method = methods.get(code)
    if method is None:
        raise PaymentFailed(_("Metode pembayaran tidak valid."))
    orders = orders_of(payment)
    reason = method.unavailable(payment, orders)
    if reason:
        raise PaymentFailed(reason)
    if payment.method == code:
        return payment
    previous = methods.get(payment.method)
    if previous is not None and previous.stop is not None:
        previous.stop(payment)
    if payment.status == PaymentStatus.FAILED:  # a declined card is done with; a later card starts afresh
        payment.attempt += 1
        payment.intent_id = payment.client_secret = None
        payment.status = PaymentStatus.PENDING
    payment.method, payment.gateway, payment.details = code, method.gateway, None
    payment.failure_message = None
    if method.start is not None:
        method.start(payment, orders)
    db.session.flush()
    return payment


def pay(payment: Payment, payment_method: str) -> Payment:
    """Confirms the intent with a payment method made by Stripe.js (or a test card). A declined card is
    recorded; the orders stay unpaid and the buyer may try another card until the payment deadline."""
    if not is_payable(payment):
        raise PaymentFailed(_("Pesanan ini tidak menunggu pembayaran."))
    if not payment_method or not payment_method.startswith(("pm_", "card_", "src_")):
        raise PaymentFailed(_("Metode pembayaran tidak valid."))
    if payment.method != "card":
        choose_method(payment, "card")
    if payment.intent_id and payment.status != PaymentStatus.FAILED:
        # The last attempt may have failed after we answered the buyer (the webhook can still be on its way).
        current = get_gateway().retrieve(payment.intent_id)
        if apply_intent(payment, current) == "paid":
            return payment
    if payment.status == PaymentStatus.FAILED:
        payment.attempt += 1  # a declined intent is done with; start a fresh one
        payment.intent_id = payment.client_secret = None
        # The old decline no longer describes this payment: left in place, the page would still say
        # "Kartu ditolak." while the new card is being charged, and the buyer might pay again.
        payment.status, payment.failure_message = PaymentStatus.PENDING, None
    ensure_intent(payment)
    try:
        intent = get_gateway().confirm(payment.intent_id, payment_method,
                                       f"opop-payment-{payment.id}-{payment.attempt}")
    except GatewayError as error:
        payment.status = PaymentStatus.FAILED
        payment.failure_message = (_("Kartu ditolak.") if error.declined else _("Pembayaran gagal diproses."))
        db.session.flush()
        return payment
    if intent.status == "requires_payment_method":
        payment.status = PaymentStatus.FAILED
        payment.failure_message = _("Kartu ditolak.")
    db.session.flush()
    return payment


def _succeeded(payment: Payment, intent: Intent) -> str:
    return record_success(payment, intent.amount, intent.currency, intent_id=intent.id)


def record_success(payment: Payment, amount: int, currency: str = "idr", intent_id: str | None = None) -> str:
    """The one way a payment becomes paid, for every method: called with what the gateway (or the koperasi, for a
    manual transfer) confirmed. Locks the payment and its orders; repeat calls change nothing. The amount must be
    the payment's own, in rupiah."""
    payment = _lock(payment)
    if payment.status == PaymentStatus.SUCCEEDED:
        return "already_paid"
    if amount != payment.amount or currency.lower() != payment.currency:
        return "amount_mismatch"
    payment.status, payment.succeeded_at = PaymentStatus.SUCCEEDED, utcnow()
    if intent_id:
        payment.intent_id = intent_id
    payment.failure_message = None
    # The orders are locked too: an expiry cancelling one right now either finishes first (and the money goes
    # back) or waits and finds it paid.
    for order in lock_rows(Order, [o.id for o in orders_of(payment)]):
        # (A cash-on-delivery order cancelled before shipping took no money: there is nothing to give back.)
        if (not orders_service.mark_paid(order) and order.status == OrderStatus.CANCELLED
                and not order.cash_on_delivery):
            # Paid after the deadline cancelled it: the stock is gone, so the money goes back (after commit).
            orders_service.request_refund(order, _("Pembayaran diterima setelah batas waktu; dana dikembalikan"))
    db.session.flush()
    return "paid"


def _failed(payment: Payment, intent: Intent) -> str:
    payment = _lock(payment)
    if payment.status == PaymentStatus.SUCCEEDED or intent.id != payment.intent_id:
        return "stale"
    payment.status = PaymentStatus.FAILED
    payment.failure_message = _("Kartu ditolak.")
    db.session.flush()
    return "failed"


def apply_intent(payment: Payment, intent: Intent) -> str:
    if intent.status == "succeeded":
        return _succeeded(payment, intent)
    if intent.status in ("requires_payment_method", "canceled") and intent.failure_message:
        return _failed(payment, intent)
    return "pending"


def refresh(payment: Payment) -> Payment:
    """Server-side status check: asks the payment's gateway for its state (the notification may be late)."""
    from marketplace.payments import methods

    if payment.status == PaymentStatus.SUCCEEDED:
        return payment
    method = methods.get(payment.method)
    if method is not None and method.refresh is not None:
        method.refresh(payment)
    elif payment.intent_id and payment.gateway == "stripe":
        apply_intent(payment, get_gateway().retrieve(payment.intent_id))
    return payment


def prepare(payment: Payment) -> Payment:
    """What the payment page needs before rendering: a card intent while the card form is shown (no method picked
    yet, or the card), then the latest state from the gateway."""
    if payment.method in (None, "card"):
        ensure_intent(payment)
    return refresh(payment)


def _payment_for_intent(intent: Intent) -> Payment | None:
    payment_id = (intent.metadata or {}).get("opop_payment_id")
    if payment_id and payment_id.isdigit():
        payment = db.session.get(Payment, int(payment_id))
        if payment is not None:
            return payment
    return db.session.scalar(select(Payment).where(Payment.intent_id == intent.id))


def handle_event(event: GatewayEvent) -> str:
    """Stores the event by id first: a replay finds it and changes nothing."""
    if db.session.scalar(select(PaymentEvent.id).where(PaymentEvent.event_id == event.id)):
        return "duplicate"
    stored = PaymentEvent(gateway="stripe", event_id=event.id, type=event.type, payload=event.payload)
    db.session.add(stored)
    db.session.flush()
    payment = _payment_for_intent(event.intent) if event.intent else None
    if event.type == "payment_intent.succeeded" and payment:
        stored.outcome = _succeeded(payment, event.intent)
    elif event.type == "payment_intent.payment_failed" and payment:
        stored.outcome = _failed(payment, event.intent)
    else:
        stored.outcome = "ignored"
    db.session.flush()
    return stored.outcome


def payment_for_buyer(token: str, user_id: int) -> Payment:
    payment = db.session.scalar(select(Payment).where(Payment.checkout_token == token))
    if payment is None or any(o.user_id != user_id for o in orders_of(payment)):
        raise NotFound(_("Pembayaran tidak ditemukan."))
    return payment
