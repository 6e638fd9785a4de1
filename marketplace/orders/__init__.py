"""Orders: one per koperasi per checkout, status changes in the words buyers know, fulfilment and refunds."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.core.background import register_tasks
    from marketplace.orders.notifications import (
        notify_buyer_of_status,
        notify_koperasi_of_paid_orders,
        send_order_confirmations,
    )
    from marketplace.orders.partner import channel_name
    from marketplace.orders.views import bp
    from marketplace.outbox.services import subscribe

    app.register_blueprint(bp)
    app.add_template_filter(channel_name, "channel")
    subscribe(app, "order.paid", send_order_confirmations)
    subscribe(app, "order.paid", notify_koperasi_of_paid_orders)
    subscribe(app, "order.status_changed", notify_buyer_of_status)
    register_tasks(app, "marketplace.orders.tasks", {
        "orders-expire-unpaid": {"task": "orders.expire_unpaid", "schedule": 60.0},
    })
