"""Search pages: /cari (results with facets) and /cari/saran (JSON autocomplete for the search box)."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for

from marketplace.storefront import search
from search_index import PRICE_BANDS

bp = Blueprint("search", __name__)


@bp.app_template_global()
def search_url(**changes) -> str:
    """The current search with some parameters changed (None removes one); any change goes back to page 1."""
    args = request.args.to_dict(flat=False)
    args.pop("hal", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value if isinstance(value, list) else [value]
    return url_for("search.results", **args)


@bp.get("/cari")
def results():
    text = request.args.get("q", "")
    if not search.has_words(text):
        return redirect(url_for("storefront.all_products"))
    search_request, category = search.request_from_args(request.args, current_app.config["PRODUCTS_PER_PAGE"])
    page = search.search_products(search_request, category)
    return render_template("storefront/search.html", result=page, price_bands=PRICE_BANDS)


@bp.get("/cari/saran")
def suggestions():
    response = jsonify(search.suggestions(request.args.get("q", "")))
    response.cache_control.max_age = 30
    return response
