from celery import shared_task

from marketplace.extensions import db
from marketplace.orders.services import expire_unpaid


@shared_task(name="orders.expire_unpaid", ignore_result=True)
def expire_unpaid_orders() -> int:
    expired = expire_unpaid()
    db.session.commit()
    return len(expired)
