"""What the Midtrans-shaped gateway tells us — a signed notification, a status check, the answer to a cancel —
goes through ``apply_transaction``: stored once per (transaction, status) as a ``PaymentEvent`` before any
effect, so a replay or a late duplicate changes nothing.

Every charge's money is accounted for. Settled: the payment becomes paid through ``services.record_success``
(whichever of its charges paid, the current one or one the buyer switched away from); a second settled charge of
an already-paid payment is a surplus that goes back (QRIS/GoPay through the API, a VA by finance staff).
Expired or cancelled, for the charge the buyer is looking at: past the orders' deadline the unpaid orders are
cancelled (their stock released); before it, the buyer simply chooses again — our deadline decides the orders'
fate, not the gateway's clock."""

import logging

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.core.locking import lock_rows
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders import services as orders_service
from marketplace.orders.models import Order, OrderStatus
from marketplace.outbox import services as outbox
from marketplace.payments import midtrans, services
from marketplace.payments.gateway import GatewayError, InvalidSignature
from marketplace.payments.midtrans import CLOSED_STATUSES, Transaction
from marketplace.payments.models import GatewayCharge, Payment, PaymentEvent, PaymentStatus

log = logging.getLogger(__name__)

SURPLUS_TOPIC = "payment.surplus_received"
STALE_TOPIC = "payment.charges_stale"  # pending charges nobody should pay any more: cancel them at the gateway


class AmountMismatch(GatewayError):
    """The gateway's word is about another amount (or transaction) than our charge: nothing is stored."""


def handle_notification(payload: dict) -> str:
    """A notification: signature (SHA-512 with our server key) and amount are checked before anything is stored."""
    if not isinstance(payload, dict) or not midtrans.signature_ok(payload, current_app.config["MIDTRANS_SERVER_KEY"]):
        raise InvalidSignature("bad signature_key")
    return apply_transaction(Transaction.from_body(payload), source="notification")


def _store_once(transaction: Transaction, source: str) -> PaymentEvent | None:
    event_id = f"midtrans:{transaction.transaction_id or transaction.order_id}:{transaction.status}"[:120]
    if db.session.scalar(select(PaymentEvent.id).where(PaymentEvent.event_id == event_id)):
        return None
    stored = PaymentEvent(gateway="midtrans", event_id=event_id, type=f"{source}.{transaction.status}"[:80],
                          payload=transaction.raw)
    try:
        with db.session.begin_nested():  # the same word arriving twice at once: one insert wins
            db.session.add(stored)
    except IntegrityError:
        return None
    return stored


def apply_transaction(transaction: Transaction, source: str) -> str:
    charge = db.session.scalar(select(GatewayCharge).where(GatewayCharge.order_ref == transaction.order_id))
    if charge is None:
        log.warning("midtrans: %s for unknown order id %s", transaction.status, transaction.order_id)
        return "unknown"
    other_transaction = charge.transaction_id and transaction.transaction_id not in (None, "", charge.transaction_id)
    if transaction.amount != charge.amount or other_transaction:
        log.error("midtrans: %s for %s does not match the charge (amount %s, ours %s)", transaction.status,
                  charge.order_ref, transaction.amount, charge.amount)
        raise AmountMismatch(charge.order_ref)
    stored = _store_once(transaction, source)
    if stored is None:
        return "duplicate"
    charge.transaction_id = charge.transaction_id or transaction.transaction_id or None
    if transaction.status != "pending" or charge.status == "pending":
        charge.status = transaction.status
    if transaction.paid:
        outcome = _settled(charge)
    elif transaction.status in CLOSED_STATUSES:
        outcome = _closed(charge)
    else:
        outcome = "noted"
    stored.outcome = outcome
    db.session.flush()
    return outcome


def _settled(charge: GatewayCharge) -> str:
    charge.settled_at = charge.settled_at or utcnow()
    if charge.outcome:  # capture then settlement: counted once
        return "already_counted"
    (payment,) = lock_rows(Payment, [charge.payment_id])
    if payment.status == PaymentStatus.SUCCEEDED:
        # Paid twice (a VA the buyer switched away from, paid anyway): the money is not ours to keep.
        charge.outcome, charge.refund_status = "surplus", "pending"
        outbox.record(SURPLUS_TOPIC, charge_id=charge.id, payment_id=payment.id)
        return "surplus"
    result = services.record_success(payment, charge.amount, "idr")
    if result != "paid":
        return result
    charge.outcome = "paid"
    current = (payment.details or {}).get("charge")
    if current != charge.order_ref:
        # An old charge paid the cart: the page shows what was paid, and the newer charge is cancelled.
        payment.method = charge.method
        payment.details = {**(payment.details or {}), "charge": charge.order_ref,
                           "transaction_id": charge.transaction_id, "paid_with_previous": True}
    outbox.record(STALE_TOPIC, payment_id=payment.id)
    return "paid"


def _closed(charge: GatewayCharge) -> str:
    (payment,) = lock_rows(Payment, [charge.payment_id])
    if payment.status == PaymentStatus.SUCCEEDED or (payment.details or {}).get("charge") != charge.order_ref:
        return "noted"  # a charge the buyer already left behind
    unpaid = [order for order in services.orders_of(payment) if order.status == OrderStatus.UNPAID]
    due = min((order.payment_due_at for order in unpaid if order.payment_due_at), default=None)
    if unpaid and due is not None and due <= utcnow():
        for order in lock_rows(Order, [order.id for order in unpaid]):
            if order.status == OrderStatus.UNPAID:
                orders_service.cancel_unpaid(order, _("Batas waktu pembayaran habis"))
        return "orders_cancelled"
    payment.method, payment.gateway = None, "stripe"
    payment.details = {"closed": charge.status, "previous": charge.method}
    return "choose_again"


def charges_to_cancel(payment_id: int) -> list[int]:
    """Pending charges nobody should pay any more: every one but the current while the cart waits for its money;
    all of them once it is paid or nothing in it is unpaid (expired, cancelled)."""
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        return []
    current = (payment.details or {}).get("charge")
    keep_current = payment.status != PaymentStatus.SUCCEEDED and services.is_payable(payment)
    pending = db.session.scalars(select(GatewayCharge).where(GatewayCharge.payment_id == payment_id,
                                                             GatewayCharge.status == "pending")
                                 .order_by(GatewayCharge.id))
    return [charge.id for charge in pending if not (keep_current and charge.order_ref == current)]


def cancel_charge(charge_id: int) -> str:
    """The network call for one stale charge (the caller holds no lock and commits after). A charge paid just
    before the cancel (412) is applied like its notification: a surplus or a payment after the deadline goes back."""
    charge = db.session.get(GatewayCharge, charge_id)
    if charge is None or charge.status != "pending":
        return "skipped"
    client = midtrans.client()
    try:
        transaction = client.cancel(charge.order_ref)
    except midtrans.MidtransError as error:
        if error.status_code not in ("404", "412"):
            raise
        if error.status_code == "404":
            charge.status = "cancel"  # never reached the gateway: nothing to pay
            return "missing"
        transaction = client.status(charge.order_ref)
    return apply_transaction(transaction, source="cancel")


def refund_surplus(charge_id: int) -> str:
    charge = db.session.get(GatewayCharge, charge_id)
    if charge is None or charge.outcome != "surplus" or charge.refund_status in ("refunded", "manual"):
        return "skipped"
    if charge.method not in ("qris", "gopay"):
        charge.refund_status = "manual"
        charge.last_error = _("Pembayaran ganda lewat virtual account: kembalikan lewat transfer bank.")
        return "manual"
    midtrans.client().refund(charge.order_ref, charge.amount, f"opop-surplus-{charge.order_ref}",
                             "OPOP duplicate payment")
    charge.refund_status, charge.last_error = "refunded", None
    return "refunded"


def surplus_waiting_for_staff() -> list[GatewayCharge]:
    return list(db.session.scalars(select(GatewayCharge).where(GatewayCharge.refund_status == "manual")
                                   .order_by(GatewayCharge.id)))


def confirm_surplus_returned(order_ref: str) -> str:
    """Finance staff transferred a VA surplus back by hand. Safe twice."""
    charge = db.session.scalar(select(GatewayCharge).where(GatewayCharge.order_ref == order_ref))
    if charge is None or charge.outcome != "surplus":
        return "not_a_surplus"
    charge.refund_status, charge.last_error = "refunded", None
    db.session.flush()
    return "refunded"
