"""Page cache for the storefront: one cached body per page and catalogue version, with live parts spliced in.

A page is keyed by the versions of what it shows (``marketplace.catalog.versions``): a product page by its
product, its koperasi and the shared rows; a listing by the listing version. Those versions are read in the first
statement of the request, so a body rendered under them never holds older data. What moves faster than the
catalogue, or differs per visitor, is left in the body as a marker and filled in for every response:

- stock (``Stok 7`` / ``Habis`` per variant, the buy buttons, the "Habis" badge on cards): one availability
  query over the products on the page, so a stock change shows at once and invalidates nothing;
- the top bar (name, cart badge, sign-out form) and the CSRF token of the add-to-cart form.

So signed-in buyers get the same cached body as everyone else. The cache is Flask-Caching: in-process by default,
Redis in production (shared by every worker, so a page is rendered once, not once per worker).
"""

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Response, current_app, g, make_response, render_template, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_caching import Cache
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import Integer, Select, cast, literal_column, null, select, union_all

from marketplace.catalog import versions
from marketplace.core.reads import read, read_connection
from marketplace.core.timeutil import utcnow
from marketplace.inventory.queries import available_of_products_statement, available_variants_of_products

page_cache = Cache()
_MARK = re.compile(r"<!--opop:([a-z]+):?([0-9:]*)-->")
_STOCK_MARKS = {"stock", "buy", "card", "pick"}
ETAG_WINDOW = 1800  # seconds: a 304 never hands back a form token older than this (Flask-WTF accepts 3600)


def _marking() -> bool:
    return bool(g.get("page_markers"))


def csrf_token_for_templates() -> str:
    return Markup("<!--opop:csrf-->") if _marking() else generate_csrf()


def stock_note(product_id: int, variant_id: int) -> Markup:
    return Markup(f"<!--opop:stock:{int(product_id)}:{int(variant_id)}-->")


def buy_state(product_id: int) -> Markup:
    return Markup(f"<!--opop:buy:{int(product_id)}-->")


def variant_state(product_id: int, variant_id: int, variant_ids: list[int]) -> Markup:
    """A variant choice's live attributes: ``disabled`` when sold out, ``checked`` on the first variant (in page
    order, ``variant_ids``) that is in stock, so a buyer never starts on something that cannot be bought."""
    ids = ":".join(str(int(v)) for v in variant_ids)
    return Markup(f"<!--opop:pick:{int(product_id)}:{int(variant_id)}:{ids}-->")


def card_stock(card) -> Markup:
    """The "Habis" badge of a card: live on cached pages, from the card's own flag elsewhere."""
    if _marking():
        return Markup(f"<!--opop:card:{int(card.id)}-->")
    return _sold_out_badge() if getattr(card, "in_stock", None) is False else Markup("")


def _sold_out_badge() -> Markup:
    return Markup('<span class="badge soldout">{}</span>').format(_("Habis"))


def _cacheable() -> bool:
    # Flashed messages are part of the body and meant for this visitor once.
    return request.method == "GET" and current_app.config.get("PAGE_CACHE_ENABLED", True) and \
        "_flashes" not in session


def _render(view, args, kwargs) -> Response:
    g.page_markers = True
    try:
        return make_response(view(*args, **kwargs))
    finally:
        g.page_markers = False


def _fill(parts: list[str], state: "_PageState | None" = None) -> tuple[str, str]:
    """The body for this visitor, and an ETag over everything but the per-response form token. ``stock`` is what
    the request's first statement already read for the products this page showed last time (``_PAGE_PRODUCTS``);
    only products missing from that guess cost another query."""
    marks = parts[1::3]
    product_ids = {int(args.split(":", 1)[0]) for name, args in zip(marks, parts[2::3], strict=True)
                   if name in _STOCK_MARKS}
    missing = sorted(product_ids - set(state.asked)) if state else sorted(product_ids)
    fresh = available_variants_of_products(missing, read_connection()) if missing else {}
    if state and missing:
        if len(_PAGE_PRODUCTS) > 5000:
            _PAGE_PRODUCTS.clear()
        _PAGE_PRODUCTS[state.page] = tuple(sorted(product_ids))
    live = _LiveParts({**(state.stock if state else {}), **fresh})
    out: list[str] = []
    digest = hashlib.blake2b(str(int(time.time() // ETAG_WINDOW)).encode(), digest_size=16)
    for index in range(0, len(parts), 3):
        out.append(parts[index])
        digest.update(parts[index].encode())
        if index + 1 < len(parts):
            name, args = parts[index + 1], parts[index + 2]
            if name == "csrf":
                out.append(generate_csrf())
                continue
            piece = live.value(name, args)
            out.append(piece)
            digest.update(piece.encode())
    return "".join(out), digest.hexdigest()


_GUEST_BARS: dict[tuple[str, str], str] = {}


def _top_bar() -> str:
    """The visitor's top bar. A guest with no cart and no login sees the same bar on a given path, so that one is
    kept per process (bounded) instead of rendered on every cached response."""
    guest = "_user_id" not in session and "cart_token" not in session and \
        current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies
    if not guest:
        return render_template("_topnav.html")
    key = (str(get_locale()), request.path)
    bar = _GUEST_BARS.get(key)
    if bar is None:
        if len(_GUEST_BARS) > 5000:
            _GUEST_BARS.clear()
        bar = _GUEST_BARS[key] = render_template("_topnav.html")
    return bar


class _LiveParts:
    """The values of one response's markers; translated texts are looked up once per response."""

    def __init__(self, stock: dict[int, dict[int, int]]):
        self.stock = stock
        self._texts: dict[str, str] = {}

    def _text(self, key: str) -> str:
        if key not in self._texts:
            self._texts[key] = {
                "nav": _top_bar,
                "sold_out": lambda: str(_sold_out_badge()),
                "out": lambda: str(Markup('<span class="stock-note out">{}</span>').format(_("Habis"))),
                "units": lambda: str(Markup('<span class="stock-note">{}</span>').format(_("Stok %(n)s", n="\0"))),
            }[key]()
        return self._texts[key]

    def value(self, name: str, args: str) -> str:
        if name == "nav":
            return self._text("nav")
        numbers = [int(n) for n in args.split(":") if n]
        on_hand = self.stock.get(numbers[0], {}) if numbers else {}
        if name == "stock":
            units = on_hand.get(numbers[1], 0)
            return self._text("units").replace("\0", str(units)) if units else self._text("out")
        if name == "buy":
            return "" if any(on_hand.values()) else "disabled"
        if name == "pick":
            if not on_hand.get(numbers[1], 0):
                return "disabled"
            first = next((v for v in numbers[2:] if on_hand.get(v, 0)), None)
            return "checked" if first == numbers[1] else ""
        if name == "card":
            return "" if any(on_hand.values()) else self._text("sold_out")
        return ""


def _respond(parts: list[str], status: int = 200, state: "_PageState | None" = None) -> Response:
    body, etag = _fill(parts, state)
    if status == 200 and request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(body, status=status, mimetype="text/html")
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")
    return response


# (locale, full path) -> the products the page showed when last filled: their stock is read in the request's
# first statement, beside the versions, so a cache hit costs one database round trip.
_PAGE_PRODUCTS: dict[str, tuple[int, ...]] = {}
_FOLDED: dict[int, tuple[Select, Select, int]] = {}


def _folded(statement: Select) -> tuple[Select, int]:
    """``statement`` (one row of versions, or none) and the live-stock statement as one UNION ALL: a tag column
    (0 versions, 1 stock) then the values, padded with NULLs to the wider of the two."""
    found = _FOLDED.get(id(statement))
    if found is None:
        stock = available_of_products_statement()
        width = max(len(statement.selected_columns), len(stock.selected_columns))

        def padded(tag: int, query: Select) -> Select:
            columns = list(query.subquery().c)
            return select(literal_column(str(tag)).label("tag"), *columns,
                          *(cast(null(), Integer) for _ in range(width - len(columns))))

        found = _FOLDED[id(statement)] = (statement, union_all(padded(0, statement), padded(1, stock)),
                                          len(statement.selected_columns))
    return found[1], found[2]


@dataclass(slots=True)
class _PageState:
    page: str  # locale and full path
    versions: tuple[int, ...] | None  # None: not cached (e.g. a product no buyer may see: rendered as a 404)
    asked: tuple[int, ...]  # the products whose stock was read ...
    stock: dict[int, dict[int, int]]  # ... and what it was: product -> variant -> units (absent: none)


def _page_state(depends_on, kwargs: dict) -> _PageState:
    """The page's versions and the live stock of the products it showed last time, in one statement: the request's
    first, so the versions-first rule holds."""
    page = f"{get_locale()}:{request.full_path}"
    statement, params = depends_on(**kwargs)
    folded, width = _folded(statement)
    state = _PageState(page, None, _PAGE_PRODUCTS.get(page, ()), {})
    for tag, *values in read(folded, {**params, "product_ids": list(state.asked), "now": utcnow()}):
        if tag == 0:
            state.versions = tuple(v or 0 for v in values[:width])
        else:
            state.stock.setdefault(values[0], {})[values[1]] = int(values[2])
    return state


def listing_versions(**_view_args) -> tuple[Select, dict]:
    return versions.row_statement((versions.ALL, versions.LISTING)), {}


def product_versions(slug: str, **_view_args) -> tuple[Select, dict]:
    return versions.product_page_statement(), {"slug": slug}


def cached_page(depends_on: Callable[..., tuple[Select, dict]] = listing_versions):
    """Serves the view's body from the cache under the versions ``depends_on``'s statement reads (no row: do not
    cache)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            key = live = None
            if _cacheable():
                live = _page_state(depends_on, kwargs)
                if live.versions is not None:
                    key = f"page:{live.page}:{'.'.join(map(str, live.versions))}"
                    parts = page_cache.get(key)
                    if parts is not None:
                        return _respond(parts, state=live)
            response = _render(view, args, kwargs)
            if response.status_code != 200 or response.mimetype != "text/html":
                if response.status_code >= 400:
                    return _respond(_MARK.split(response.get_data(as_text=True)), response.status_code, live)
                return response
            parts = _MARK.split(response.get_data(as_text=True))
            if key is not None:
                page_cache.set(key, parts)
            return _respond(parts, state=live)

        return wrapper

    return decorate


def init_page_cache(app) -> None:
    page_cache.init_app(app)
    app.jinja_env.globals.update(csrf_token=csrf_token_for_templates, stock_note=stock_note, buy_state=buy_state,
                                 card_stock=card_stock, variant_state=variant_state)
    # Flask-WTF also injects csrf_token through a context processor; this later one takes precedence.
    app.context_processor(lambda: {"csrf_token": csrf_token_for_templates, "page_markers": _marking()})
