"""Catalog: categories, products, variants, images and certifications."""

from flask import Flask


def init_app(app: Flask) -> None:
    from celery.schedules import crontab

    from marketplace.catalog import changes, versions  # noqa: F401  (flush hooks: product.changed, cache versions)
    from marketplace.catalog.names import category_name
    from marketplace.catalog.services import description_html
    from marketplace.core.background import register_tasks

    app.jinja_env.filters["safe_html"] = description_html
    app.jinja_env.filters["category_name"] = category_name
    register_tasks(app, "marketplace.catalog.tasks", {
        "catalog-unpublish-expired": {"task": "catalog.unpublish_expired", "schedule": crontab(hour=0, minute=5)},
    })
