"""Seller dashboard (Toko Saya): the koperasi staff pages over the domains' services."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Only blueprints: the dashboard's actions are the domains' services, and so are their tasks and demo data."""
    from marketplace.seller.views import bp
    from marketplace.seller.views.members import invite_bp

    app.register_blueprint(bp)
    app.register_blueprint(invite_bp)
