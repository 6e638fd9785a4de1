"""Payments: one payment per checkout, behind a gateway interface (Stripe today), confirmed by signed webhooks."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.core.background import register_demo_step, register_tasks
    from marketplace.outbox.services import subscribe
    from marketplace.payments import (  # noqa: F401  (transfer_views: routes)
        card,
        cod,
        midtrans_cli,
        midtrans_methods,
        midtrans_tasks,
        transfer,
        transfer_views,
    )
    from marketplace.payments.cli import register_cli
    from marketplace.payments.koperasi_settings import seed_payment_settings
    from marketplace.payments.midtrans_events import STALE_TOPIC, SURPLUS_TOPIC
    from marketplace.payments.midtrans_views import bp as midtrans_bp
    from marketplace.payments.refunds import enqueue_refunds
    from marketplace.payments.views import bp

    card.register_methods()
    midtrans_methods.register_methods()
    cod.register_methods()
    transfer.register_methods()
    app.register_blueprint(bp)
    app.register_blueprint(midtrans_bp)
    app.add_template_filter(midtrans_methods.parse_time, "isotime")
    app.add_template_global(transfer.proofs_of, "transfer_proofs")
    app.add_template_global(lambda payment: transfer.waiting_proof(payment) is not None, "transfer_waiting")
    register_cli(app)
    midtrans_cli.register_cli(app)
    register_demo_step(app, seed_payment_settings)
    subscribe(app, "order.refund_requested", enqueue_refunds)
    subscribe(app, "order.status_changed", midtrans_tasks.on_order_status)
    subscribe(app, STALE_TOPIC, midtrans_tasks.on_stale)
    subscribe(app, SURPLUS_TOPIC, midtrans_tasks.on_surplus)
    register_tasks(app, "marketplace.payments.tasks", {
        "payments-retry-refunds": {"task": "payments.retry_refunds", "schedule": 900.0},
    })
    register_tasks(app, "marketplace.payments.midtrans_tasks")
