"""Seller dashboard (Toko Saya): the koperasi staff pages over the domains' services."""

from flask import Flask


def init_app(app: Flask) -> None:
    from celery.schedules import crontab

    from marketplace.core.background import register_demo_step, register_tasks
    from marketplace.seller.demo import seed_staff
    from marketplace.seller.views import bp
    from marketplace.seller.views_members import invite_bp

    app.register_blueprint(bp)
    app.register_blueprint(invite_bp)
    register_tasks(app, "marketplace.seller.tasks", {
        "seller-unpublish-expired": {"task": "seller.unpublish_expired", "schedule": crontab(hour=0, minute=5)},
    })
    register_demo_step(app, seed_staff)
