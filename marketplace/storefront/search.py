"""Buyer search: asks the search interface for a page of hits and loads those products for the cards. When the
index is missing or damaged, answers from the database listing instead and says so."""

from dataclasses import dataclass, field

from flask import current_app, url_for

from marketplace.catalog import queries, read_model
from marketplace.catalog.models import Category
from marketplace.catalog.read_model import ListingFilters, ProductCard
from marketplace.core.money import format_rupiah
from marketplace.core.numbers import clamp_filter
from marketplace.core.pagination import Page, parse_page
from marketplace.core.regions import REGIONS_BY_CODE
from marketplace.search import get_engine
from search_index import PRICE_BANDS, SORTS, Hit, SearchRequest, SearchResponse, SearchUnavailable
from search_index.analysis import words
from search_index.api import MAX_QUERY_CHARS


@dataclass
class SearchPage:
    request: SearchRequest
    items: list[tuple[ProductCard, Hit | None]]
    page: Page
    response: SearchResponse | None = None
    fallback: bool = False  # the index is unavailable: these are plain database results
    categories: dict[int, Category] = field(default_factory=dict)
    category: Category | None = None


def _to_int(value: str | None) -> int | None:
    try:
        number = int((value or "").replace(".", "").strip())
    except ValueError:
        return None
    return clamp_filter(number) if number >= 0 else None


def request_from_args(args, per_page: int) -> tuple[SearchRequest, Category | None]:
    """Reads /cari's query string; anything malformed is ignored rather than an error."""
    category = None
    slug = args.get("kategori", "")
    if slug:
        category = next((c for c in queries.all_categories() if c.slug == slug), None)
    sort = args.get("urut", "relevansi")
    band = args.get("harga", "")
    return SearchRequest(
        text=" ".join(args.get("q", "").split())[:MAX_QUERY_CHARS],
        category_ids=(category.id,) if category else (),
        region_codes=tuple(c for c in args.getlist("wilayah") if c in REGIONS_BY_CODE),
        halal_only=args.get("halal") == "1",
        in_stock_only=args.get("stok") == "1",
        price_min=_to_int(args.get("harga_min")),
        price_max=_to_int(args.get("harga_max")),
        price_band=band if band in {key for key, _low, _high in PRICE_BANDS} else None,
        sort=sort if sort in SORTS else "relevansi",
        page=parse_page(args.get("hal")),
        per_page=per_page,
    ), category


def has_words(text: str) -> bool:
    return any(any(ch.isalnum() for ch in w) for w in words(text))


def search_products(request: SearchRequest, category: Category | None = None) -> SearchPage:
    categories = {c.id: c for c in queries.all_categories()}
    try:
        response = get_engine().search(request)
    except SearchUnavailable:
        current_app.logger.warning("search index unavailable; answering from the database listing")
        return _fallback(request, category, categories)
    products = read_model.product_cards([hit.product_id for hit in response.hits])
    items = [(products[hit.product_id], hit) for hit in response.hits if hit.product_id in products]
    page = Page(items=items, page=response.page, per_page=response.per_page, total=response.total)
    return SearchPage(request, items, page, response, categories=categories, category=category)


def _fallback(request: SearchRequest, category: Category | None, categories: dict) -> SearchPage:
    ids = []
    if category is not None:
        ids = [category.id] + [c.id for c in categories.values() if c.parent_id == category.id]
    filters = ListingFilters(
        text=request.text, category_ids=ids, region_codes=list(request.region_codes), halal_only=request.halal_only,
        price_min=request.price_min, price_max=request.price_max,
        sort={"termurah": "termurah", "termahal": "termahal"}.get(request.sort, "terbaru"),
    )
    listing = read_model.list_cards(filters, request.page, request.per_page)
    items = [(product, None) for product in listing.items]
    return SearchPage(request, items, listing, None, fallback=True, categories=categories, category=category)


def suggestions(text: str) -> dict:
    """Autocomplete for the search box: completed queries and a few products, as JSON-ready data."""
    try:
        found = get_engine().suggest(text)
    except SearchUnavailable:
        return {"queries": [], "products": []}
    products = read_model.product_cards([hit.product_id for hit in found.products])
    return {
        "queries": found.queries,
        "products": [
            {"name": hit.name, "url": url_for("storefront.product", slug=hit.slug),
             "price": format_rupiah(hit.price)}
            for hit in found.products if hit.product_id in products
        ],
    }
