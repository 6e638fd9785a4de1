"""Catalog: categories, products, variants, images and certifications."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.catalog import changes, versions  # noqa: F401  (flush hooks: product.changed, cache versions)
    from marketplace.catalog.services import description_html

    app.jinja_env.filters["safe_html"] = description_html
