"""Payments: one payment per checkout, behind a gateway interface (Stripe today), confirmed by signed webhooks."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.core.background import register_tasks
    from marketplace.outbox.services import subscribe
    from marketplace.payments import card, midtrans_cli, midtrans_methods, midtrans_tasks
    from marketplace.payments.cli import register_cli
    from marketplace.payments.midtrans_events import STALE_TOPIC, SURPLUS_TOPIC
    from marketplace.payments.midtrans_views import bp as midtrans_bp
    from marketplace.payments.refunds import enqueue_refunds
    from marketplace.payments.views import bp

    card.register_methods()
    midtrans_methods.register_methods()
    app.register_blueprint(bp)
    app.register_blueprint(midtrans_bp)
    app.add_template_filter(midtrans_methods.parse_time, "isotime")
    register_cli(app)
    midtrans_cli.register_cli(app)
    subscribe(app, "order.refund_requested", enqueue_refunds)
    subscribe(app, "order.status_changed", midtrans_tasks.on_order_status)
    subscribe(app, STALE_TOPIC, midtrans_tasks.on_stale)
    subscribe(app, SURPLUS_TOPIC, midtrans_tasks.on_surplus)
    register_tasks(app, "marketplace.payments.tasks", {
        "payments-retry-refunds": {"task": "payments.retry_refunds", "schedule": 900.0},
    })
    register_tasks(app, "marketplace.payments.midtrans_tasks")
