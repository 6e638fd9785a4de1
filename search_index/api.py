"""The search interface the storefront (and later the API) talks to. Whoosh sits behind it today; a search server
could implement the same two calls without any view changing."""

from dataclasses import dataclass, field
from typing import Protocol

SORTS = ("relevansi", "termurah", "termahal", "terbaru")
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12


class SearchUnavailable(Exception):
    """The index is missing, damaged or being rebuilt: callers fall back to the plain listing."""


@dataclass
class SearchRequest:
    text: str = ""
    category_ids: tuple[int, ...] = ()  # a product matches if its category or its parent category is listed
    region_codes: tuple[str, ...] = ()
    halal_only: bool = False
    in_stock_only: bool = False
    price_min: int | None = None
    price_max: int | None = None
    price_band: str | None = None
    sort: str = "relevansi"
    page: int = 1
    per_page: int = 24
    facets: bool = True
    highlight: bool = True

    @property
    def has_filters(self) -> bool:
        return bool(
            self.category_ids or self.region_codes or self.halal_only or self.in_stock_only
            or self.price_min is not None or self.price_max is not None or self.price_band
        )


@dataclass
class Hit:
    product_id: int
    slug: str
    name: str
    name_html: str  # escaped, matched words in <mark>
    snippet_html: str
    price: int
    in_stock: bool
    score: float | None = None


@dataclass
class Facets:
    categories: dict[int, int] = field(default_factory=dict)  # category id (parents and children) -> count
    regions: dict[str, int] = field(default_factory=dict)
    price_bands: dict[str, int] = field(default_factory=dict)
    halal: int = 0
    in_stock: int = 0


@dataclass
class SearchResponse:
    text: str  # the query as understood (trimmed)
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: Facets | None = None
    suggestion: str | None = None  # "Mungkin maksud Anda: …"
    corrected: bool = False  # the hits are for the suggestion, the original words found nothing
    relaxed: bool = False  # no product had every word; hits have some of them


@dataclass
class Suggestions:
    queries: list[str]
    products: list[Hit]


class SearchEngine(Protocol):
    def search(self, request: SearchRequest) -> SearchResponse: ...

    def suggest(self, text: str, limit: int = 8) -> Suggestions: ...
