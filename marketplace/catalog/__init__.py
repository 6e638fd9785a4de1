"""Catalog: categories, products, variants, images and certifications."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.catalog import changes  # noqa: F401  (the flush hook that records product.changed)
    from marketplace.catalog.services import description_html

    app.jinja_env.filters["safe_html"] = description_html
