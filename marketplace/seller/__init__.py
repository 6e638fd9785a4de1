"""Seller dashboard (Toko Saya): the koperasi staff pages over the domains' services."""

from flask import Flask


def init_app(app: Flask) -> None:
    """The dashboard has no tasks of its own: its actions are the domains' services, and so are their tasks."""
    from marketplace.core.background import register_demo_step
    from marketplace.seller.demo import seed_staff
    from marketplace.seller.views import bp
    from marketplace.seller.views.members import invite_bp

    app.register_blueprint(bp)
    app.register_blueprint(invite_bp)
    register_demo_step(app, seed_staff)
