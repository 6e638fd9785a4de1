"""Storefront: the buyer pages (home, listings, product, koperasi, search) and their page cache."""

from flask import Flask


def init_app(app: Flask) -> None:
    from marketplace.storefront.assets import init_assets
    from marketplace.storefront.cache import init_page_cache
    from marketplace.storefront.search_views import bp as search_bp
    from marketplace.storefront.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(search_bp)
    init_page_cache(app)
    init_assets(app)
