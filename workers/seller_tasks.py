from celery import shared_task

from marketplace.seller.bulk import run_import_job


@shared_task(name="seller.import_catalog", ignore_result=True)
def import_catalog(job_id: int) -> None:
    run_import_job(job_id)
