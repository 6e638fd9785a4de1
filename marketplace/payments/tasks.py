from celery import shared_task

from marketplace.core.celery import enqueue
from marketplace.extensions import db
from marketplace.payments import refunds
from marketplace.payments.gateway import GatewayError, ManualRefund


class RefundNotDone(Exception):
    pass


@shared_task(name=refunds.TASK, ignore_result=True, autoretry_for=(RefundNotDone,), retry_backoff=10,
             retry_backoff_max=900, max_retries=6)
def refund_order(order_id: int) -> bool:
    """Safe twice: an order no longer waiting is skipped; the gateway call carries the order's idempotency key."""
    refund = refunds.start_refund(order_id)
    db.session.commit()  # nothing stays locked (nor, on SQLite, the write lock held) during the gateway call
    if refund is None:
        return False
    try:
        gateway_refund_id = refunds.call_gateway(refund)
    except ManualRefund as error:
        db.session.rollback()
        refunds.await_manual_refund(refund.id, error)
        db.session.commit()
        return False
    except GatewayError as error:
        db.session.rollback()
        refunds.fail_refund(refund.id, error)
        db.session.commit()
        raise RefundNotDone(str(error)) from error
    done = refunds.finish_refund(refund.id, gateway_refund_id)
    db.session.commit()
    return done


@shared_task(name="payments.retry_refunds", ignore_result=True)
def retry_refunds() -> int:
    """Periodic: every order still waiting for its money gets another attempt (a lost task, a long outage)."""
    order_ids = refunds.pending_refund_order_ids()
    for order_id in order_ids:
        enqueue(refunds.TASK, order_id)
    return len(order_ids)
