"""Checkout: carts (guest and logged-in), delivery addresses, shipping rates and checkout completion."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.checkout.views import bp

    app.register_blueprint(bp)
