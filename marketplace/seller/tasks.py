from celery import shared_task

from marketplace.extensions import db
from marketplace.seller.bulk import run_import_job
from marketplace.seller.products import unpublish_expired_products


@shared_task(name="seller.import_catalog", ignore_result=True)
def import_catalog(job_id: int) -> None:
    run_import_job(job_id)


@shared_task(name="seller.unpublish_expired", ignore_result=True)
def unpublish_expired() -> int:
    count = unpublish_expired_products()
    db.session.commit()
    return count
