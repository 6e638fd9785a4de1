"""The transactional outbox (see services)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.core.background import register_tasks
    from marketplace.outbox import services

    services.init_app(app)

    def request_dispatch() -> None:
        # Eager mode (tests) dispatches explicitly; a worker would otherwise run inside this commit.
        celery = app.extensions.get("celery")
        if celery is not None and not celery.conf.task_always_eager:
            celery.send_task("outbox.dispatch", queue="default")

    services.when_committed(app, request_dispatch)
    register_tasks(app, "marketplace.outbox.tasks", {"outbox-sweep": {"task": "outbox.dispatch", "schedule": 30.0}})
