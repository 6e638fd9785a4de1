"""Storefront: the buyer pages (home, listings, product, koperasi, search) and their page cache."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.storefront.assets import init_assets
    from marketplace.storefront.cache import init_page_cache
    from marketplace.storefront.cards import init_cards
    from marketplace.storefront.search_views import bp as search_bp
    from marketplace.storefront.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(search_bp)
    init_page_cache(app)
    init_cards(app)
    init_assets(app)
    _skip_rate_limit_checks()


def _skip_rate_limit_checks() -> None:
    """The buyer pages carry no rate limit (and the limiter has no defaults): let Flask-Limiter stop at its request
    filter instead of resolving an empty set of limits on every page view. A default limit added one day must
    come with a look at this."""
    from flask import request

    from marketplace.extensions import limiter

    if not getattr(limiter, "storefront_filtered", False):  # one limiter for every app made in this process
        limiter.request_filter(lambda: request.blueprint == "storefront")
        limiter.storefront_filtered = True
