"""The one Celery app. Broker and result backend come from the Flask config: kombu's sqla+sqlite transport on a
laptop, Redis in production. Every task runs inside a Flask app context and commits once at its edge."""

from celery import Celery, Task
from celery.schedules import crontab  # noqa: F401  (used by schedules that domains add)
from flask import Flask

QUEUES = ("default", "search", "channel.push", "channel.pull", "mail")
TASK_MODULES = ["workers.outbox_tasks", "workers.search_tasks"]
TASK_MODULES.append("workers.seller_tasks")  # bulk catalog imports
TASK_MODULES += ["workers.inventory_tasks", "workers.order_tasks"]
BEAT_SCHEDULE: dict = {
    "outbox-sweep": {"task": "outbox.dispatch", "schedule": 30.0},
}
BEAT_SCHEDULE["inventory-purge-reservations"] = {"task": "inventory.purge_reservations", "schedule": 60.0}
BEAT_SCHEDULE["orders-expire-unpaid"] = {"task": "orders.expire_unpaid", "schedule": 60.0}
BEAT_SCHEDULE["seller-unpublish-expired"] = {"task": "seller.unpublish_expired", "schedule": crontab(hour=0, minute=5)}
BEAT_SCHEDULE["search-rebuild-nightly"] = {"task": "search.rebuild", "schedule": crontab(hour=3, minute=15),
                                           "options": {"queue": "search"}}


def make_celery(app: Flask) -> Celery:
    class AppContextTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=AppContextTask)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        result_backend=app.config["CELERY_RESULT_BACKEND"],
        task_always_eager=app.config["CELERY_TASK_ALWAYS_EAGER"],
        task_eager_propagates=True,
        task_default_queue="default",
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options=app.config.get("CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        beat_schedule=BEAT_SCHEDULE,
        timezone="Asia/Jakarta",
        imports=TASK_MODULES,
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
