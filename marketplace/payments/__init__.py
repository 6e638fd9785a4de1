"""Payments: one payment per checkout, behind a gateway interface (Stripe today), confirmed by signed webhooks."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.payments.cli import register_cli
    from marketplace.payments.views import bp

    app.register_blueprint(bp)
    register_cli(app)
