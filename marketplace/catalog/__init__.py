"""Catalog: categories, products, variants, images and certifications."""

from flask import Flask


def init_app(app: Flask) -> None:
    from celery.schedules import crontab

    from marketplace.catalog import changes  # noqa: F401  (the flush hook that records product.changed)
    from marketplace.catalog.services import description_html
    from marketplace.core.background import register_tasks

    app.jinja_env.filters["safe_html"] = description_html
    register_tasks(app, "marketplace.catalog.tasks", {
        "catalog-unpublish-expired": {"task": "catalog.unpublish_expired", "schedule": crontab(hour=0, minute=5)},
    })
