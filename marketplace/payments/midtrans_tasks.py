"""Midtrans-shaped gateway work after commit: cancelling charges nobody should pay any more (our expiry cancelled
the orders, the buyer cancelled them, or another charge paid the cart) and giving back a surplus. Outbox handlers
enqueue these; never a network call inside the transaction that decided it."""

from celery import shared_task
from sqlalchemy import select

from marketplace.core.celery import enqueue
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.outbox.models import OutboxEvent
from marketplace.payments import midtrans_events
from marketplace.payments.gateway import GatewayError
from marketplace.payments.models import Payment

CANCEL_TASK = "payments.midtrans_cancel_stale"
SURPLUS_TASK = "payments.midtrans_refund_surplus"


class NotDone(Exception):
    pass


def on_order_status(events: list[OutboxEvent]) -> None:
    """Outbox handler for ``order.status_changed``: a cancelled order may leave a pending VA/QR behind."""
    order_ids = [e.payload["order_id"] for e in events if e.payload.get("status") == "dibatalkan"]
    if not order_ids:
        return
    payment_ids = set(db.session.scalars(
        select(Order.payment_id).join(Payment, Payment.id == Order.payment_id)
        .where(Order.id.in_(order_ids), Payment.gateway == "midtrans")))
    for payment_id in sorted(payment_ids):
        enqueue(CANCEL_TASK, payment_id)


def on_stale(events: list[OutboxEvent]) -> None:
    for payment_id in sorted({e.payload["payment_id"] for e in events}):
        enqueue(CANCEL_TASK, payment_id)


def on_surplus(events: list[OutboxEvent]) -> None:
    for outbox_event in events:
        enqueue(SURPLUS_TASK, outbox_event.payload["charge_id"])


@shared_task(name=CANCEL_TASK, ignore_result=True, autoretry_for=(NotDone,), retry_backoff=5,
             retry_backoff_max=600, max_retries=8)
def cancel_stale(payment_id: int) -> int:
    """Safe twice: a charge no longer pending is skipped; each cancel commits on its own."""
    charge_ids = midtrans_events.charges_to_cancel(payment_id)
    db.session.commit()
    failed = None
    for charge_id in charge_ids:
        try:
            midtrans_events.cancel_charge(charge_id)
            db.session.commit()
        except GatewayError as error:
            db.session.rollback()
            failed = error
    if failed is not None:
        raise NotDone(str(failed))
    return len(charge_ids)


@shared_task(name=SURPLUS_TASK, ignore_result=True, autoretry_for=(NotDone,), retry_backoff=10,
             retry_backoff_max=900, max_retries=6)
def refund_surplus(charge_id: int) -> str:
    try:
        outcome = midtrans_events.refund_surplus(charge_id)
    except GatewayError as error:
        db.session.rollback()
        raise NotDone(str(error)) from error
    db.session.commit()
    return outcome
