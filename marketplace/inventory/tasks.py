from celery import shared_task

from marketplace.extensions import db
from marketplace.inventory.services import purge_expired_reservations


@shared_task(name="inventory.purge_reservations", ignore_result=True)
def purge_reservations() -> int:
    purged = purge_expired_reservations()
    db.session.commit()
    return purged
