"""Checkout: carts (guest and logged-in), delivery addresses, shipping rates and checkout completion."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.checkout.addresses import format_address
    from marketplace.checkout.demo import seed_shipping
    from marketplace.checkout.models import COURIER_NAMES, Courier
    from marketplace.checkout.views import bp
    from marketplace.core.background import register_demo_step

    app.register_blueprint(bp)
    register_demo_step(app, seed_shipping)

    @app.template_filter("courier")
    def courier_name(code: str) -> str:
        try:
            return COURIER_NAMES[Courier(code)]
        except ValueError:
            return code

    @app.template_filter("address")
    def address_text(address: dict) -> str:
        return format_address(address or {})
