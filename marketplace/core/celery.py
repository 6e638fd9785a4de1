"""Builds the one Celery app. Broker and result backend come from the Flask config: kombu's sqla+sqlite transport on a
laptop, Redis in production. Task modules and beat entries come from the domains (``core.background``); every
task runs inside a Flask app context and commits once at its edge."""

from importlib import import_module

from celery import Celery, Task
from flask import Flask, current_app, has_app_context

from marketplace.core.background import background


def make_celery(app: Flask) -> Celery:
    class AppContextTask(Task):
        def __call__(self, *args, **kwargs):
            if has_app_context() and current_app._get_current_object() is app:
                return self.run(*args, **kwargs)  # eager (tests, CLI): part of the caller's work and session
            with app.app_context():
                return self.run(*args, **kwargs)

    declared = background(app)
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
        beat_schedule=dict(declared.schedule),
        timezone="Asia/Jakarta",
        imports=list(declared.task_modules),
    )
    for module in declared.task_modules:  # shared tasks attach to every Celery app, this one included
        import_module(module)
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def enqueue(task, *args, **options):
    """Sends ``task`` (a task object or its name) through this Flask app's own Celery app. A shared task's
    ``apply_async`` would use the process's default Celery app, which is another app's when a process holds
    several (tests, CLI): eager there, or a different broker."""
    name = task if isinstance(task, str) else task.name
    return current_app.extensions["celery"].tasks[name].apply_async(args=args, **options)
