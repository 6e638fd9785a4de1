"""Mail: every message is queued through the outbox in the transaction that caused it and delivered by a task on
the ``mail`` queue after commit, once per event (a failed delivery is retried alone, a delivered one never again)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.core.background import register_tasks
    from marketplace.mail.services import TOPIC, enqueue_deliveries
    from marketplace.outbox.services import subscribe

    subscribe(app, TOPIC, enqueue_deliveries)
    register_tasks(app, "marketplace.mail.tasks")
