"""Refunds, after commit. A cancellation records ``order.refund_requested`` in its own transaction; the task
below calls the gateway with no database row locked (the gateway's idempotency key makes a retried call return
the same refund), then marks the order refunded. A failure is kept on the refund row for staff and retried."""

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.celery import enqueue
from marketplace.core.errors import ValidationError
from marketplace.core.locking import lock_rows
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderStatus
from marketplace.outbox.models import OutboxEvent
from marketplace.payments import methods
from marketplace.payments.gateway import GatewayError
from marketplace.payments.models import Payment, PaymentStatus, Refund

TASK = "payments.refund_order"


def enqueue_refunds(events: list[OutboxEvent]) -> None:
    """Outbox handler for ``order.refund_requested``."""
    for outbox_event in events:
        enqueue(TASK, outbox_event.payload["order_id"])


def start_refund(order_id: int) -> Refund | None:
    """The refund row for an order waiting for its money (created on the first attempt); None when there is
    nothing to do. The caller commits before calling the gateway."""
    order = db.session.get(Order, order_id)
    if order is None or order.status != OrderStatus.REFUND_PENDING:
        return None
    refund = db.session.scalar(select(Refund).where(Refund.order_id == order_id))
    if refund is None:
        refund = Refund(payment_id=order.payment_id, order_id=order.id, amount=order.total, status="pending",
                        attempts=0)
        db.session.add(refund)
    refund.attempts += 1
    refund.updated_at = utcnow()
    db.session.flush()
    return refund


def call_gateway(refund: Refund) -> str:
    """The network call. Raises ``GatewayError`` when the gateway refuses or cannot be reached."""
    if refund.gateway_refund_id:
        return refund.gateway_refund_id
    payment = db.session.get(Payment, refund.payment_id)
    if payment is None or payment.status != PaymentStatus.SUCCEEDED:
        raise GatewayError("payment not captured")
    # Each method gives money back its own way (cards through Stripe; payments made before methods existed
    # were cards).
    method = methods.get(payment.method or "card")
    if method is None or method.refund is None:
        raise GatewayError(f"no refund for payment method {payment.method}")
    return method.refund(payment, refund.amount, f"opop-refund-order-{refund.order_id}")


def finish_refund(refund_id: int, gateway_refund_id: str) -> bool:
    refund = db.session.get(Refund, refund_id)
    (payment,) = lock_rows(Payment, [refund.payment_id])
    if refund.status != "succeeded":
        refund.status, refund.gateway_refund_id, refund.last_error = "succeeded", gateway_refund_id, None
        refund.updated_at = utcnow()
        payment.refunded_amount += refund.amount
    marked = orders.mark_refunded(db.session.get(Order, refund.order_id))
    db.session.flush()
    return marked


def await_manual_refund(refund_id: int, error: Exception) -> None:
    """The money goes back by hand (see ``gateway.ManualRefund``): the refund waits for the koperasi's finance
    staff, with the reason, and is not retried."""
    refund = db.session.get(Refund, refund_id)
    refund.status, refund.last_error, refund.updated_at = "manual", str(error)[:500], utcnow()
    db.session.flush()


def confirm_manual_refund(refund: Refund, note: str = "") -> bool:
    """Finance staff transferred the money back themselves: the refund and the order are done. Safe twice."""
    if refund.status not in ("manual", "succeeded"):
        raise ValidationError(_("Pengembalian dana ini tidak menunggu transfer manual."))
    return finish_refund(refund.id, f"manual:{note.strip()[:100]}" if note.strip() else "manual")


def manual_refunds(koperasi_id: int) -> list[Refund]:
    """Refunds of this koperasi's orders waiting for a manual transfer back."""
    return list(db.session.scalars(
        select(Refund).join(Order, Order.id == Refund.order_id)
        .where(Order.koperasi_id == koperasi_id, Refund.status == "manual").order_by(Refund.id)))


def fail_refund(refund_id: int, error: Exception) -> None:
    refund = db.session.get(Refund, refund_id)
    refund.status, refund.last_error, refund.updated_at = "failed", str(error)[:500], utcnow()
    db.session.flush()


def pending_refund_order_ids(limit: int = 200) -> list[int]:
    """Orders still waiting for their money through a gateway (the periodic retry re-enqueues them); those
    waiting for a manual transfer back are left to the koperasi's staff."""
    manual = select(Refund.order_id).where(Refund.status == "manual")
    return list(db.session.scalars(
        select(Order.id).where(Order.status == OrderStatus.REFUND_PENDING, Order.id.not_in(manual))
        .order_by(Order.id).limit(limit)))


def refund_of_order(order_id: int) -> Refund | None:
    return db.session.scalar(select(Refund).where(Refund.order_id == order_id))
