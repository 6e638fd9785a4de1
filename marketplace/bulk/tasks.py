from celery import shared_task

from marketplace.bulk.services import run_import_job


@shared_task(name="bulk.import_catalog", ignore_result=True)
def import_catalog(job_id: int) -> None:
    run_import_job(job_id)
