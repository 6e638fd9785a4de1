"""The Celery worker's entry point (`celery -A workers.worker worker|beat`). The Celery app is built by
``marketplace.core.celery.make_celery`` inside ``create_app`` from what each domain declared; the tasks live in
each domain's ``tasks.py``."""
