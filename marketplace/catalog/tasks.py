from celery import shared_task

from marketplace.catalog.services import unpublish_expired_products
from marketplace.extensions import db


@shared_task(name="catalog.unpublish_expired", ignore_result=True)
def unpublish_expired() -> int:
    count = unpublish_expired_products()
    db.session.commit()
    return count
