"""Saleor-shaped storefront GraphQL API at /graphql/: catalogue, accounts, checkout and orders over the same
services as the web pages. See docs/api.md."""

from flask import Flask

DEFAULTS = {
    "API_INTROSPECTION": True,  # production may switch it off (API_INTROSPECTION=0)
    "API_GRAPHIQL": True,
    "API_MAX_DEPTH": 12,
    "API_MAX_COST": 20_000,
    "API_MAX_TOKENS": 4_000,
    "API_MAX_PAGE_SIZE": 100,
    "API_ACCESS_TOKEN_SECONDS": 300,
    "API_REFRESH_TOKEN_SECONDS": 30 * 24 * 3600,
}


def init_app(app: Flask) -> None:
    import os

    from marketplace.api.schema import build_schema
    from marketplace.api.views import make_view
    from marketplace.extensions import csrf

    for key, value in DEFAULTS.items():
        if key in os.environ:
            value = type(value)(int(os.environ[key])) if isinstance(value, (bool, int)) else os.environ[key]
        app.config.setdefault(key, value)
    view = make_view(build_schema(app), graphiql=app.config["API_GRAPHIQL"])
    csrf.exempt(view)  # token-authenticated, never by cookie: a cross-site form cannot act as the buyer
    app.add_url_rule("/graphql/", view_func=view, methods=["GET", "POST"])
