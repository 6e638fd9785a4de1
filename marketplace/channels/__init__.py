"""Partner sync: a koperasi's shops on Shopee and TikTok Shop (Tokopedia), their listings linked to our variants,
stock pushed to them through the outbox, and the adapters that speak each platform's API."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.channels import pull
    from marketplace.channels.events import on_product_changed, on_stock_changed
    from marketplace.channels.views import bp
    from marketplace.core.background import register_tasks
    from marketplace.outbox.services import subscribe

    subscribe(app, "stock.changed", on_stock_changed)
    subscribe(app, "product.changed", on_product_changed)
    app.register_blueprint(bp)
    pull.init_app(app)
    register_tasks(app, "marketplace.channels.tasks", {
        "channels-push-sweep": {"task": "channels.push_sweep", "schedule": app.config["CHANNEL_PUSH_SWEEP_SECONDS"],
                                "options": {"queue": "channel.push"}},
        "channels-reconcile": {"task": "channels.reconcile_all", "schedule": app.config["CHANNEL_RECONCILE_SECONDS"],
                               "options": {"queue": "channel.push"}},
        "channels-refresh-tokens": {"task": "channels.refresh_tokens", "schedule": 600.0,
                                    "options": {"queue": "channel.push"}},
    })
