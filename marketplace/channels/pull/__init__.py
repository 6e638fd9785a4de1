"""The order half of partner sync: pushes in, a poller behind them, and orders imported exactly once."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.channels.pull import cli
    from marketplace.channels.pull.views import bp
    from marketplace.core.background import register_tasks
    from marketplace.outbox.services import subscribe

    app.register_blueprint(bp)
    cli.init_app(app)
    subscribe(app, "partner_order.rejected", _cancel_rejected)
    every = float(app.config.get("CHANNEL_PULL_POLL_SECONDS", 60))
    register_tasks(app, "marketplace.channels.pull.tasks", {
        "channels-pull-sweep": {"task": "channels.pull.sweep", "schedule": every, "options": {"queue": "channel.pull"}},
    })


def _cancel_rejected(events) -> None:
    """A partner order lost the last unit to another sale: cancel it on the platform (after commit, in a task)."""
    from marketplace.channels.pull.tasks import QUEUE, cancel_on_partner
    from marketplace.core.celery import enqueue

    for event in events:
        enqueue(cancel_on_partner, event.payload["order_id"], queue=QUEUE)
