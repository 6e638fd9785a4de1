"""The search interface the app talks to: plain values in, plain values out. Whoosh sits behind it today
(``search_index.engine``); a search server could implement the same calls without any caller changing. Nothing here
knows the marketplace's models: the app builds ``ProductDocument`` values and hands them over."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

SORTS = ("relevansi", "termurah", "termahal", "terbaru")
# Price bands for the facet, in rupiah: (key, lower bound inclusive, upper bound exclusive).
PRICE_BANDS = (
    ("0-25000", 0, 25_000),
    ("25000-50000", 25_000, 50_000),
    ("50000-100000", 50_000, 100_000),
    ("100000-250000", 100_000, 250_000),
    ("250000-", 250_000, None),
)
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12


class SearchUnavailable(Exception):
    """The index is missing, damaged or being rebuilt: callers fall back to the plain listing."""


class IndexBusy(Exception):
    """Another process holds the index's single writer: try the write again shortly."""


@dataclass
class ProductDocument:
    """Everything the index knows about one product: what the app reads from its database and hands over."""

    product_id: int
    slug: str
    name: str
    description: str  # plain text
    category: str  # the category and its parent, as words
    category_id: int
    category_root_id: int
    koperasi: str
    pesantren: str
    region_code: str  # filtered and counted as an opaque key
    region_label: str  # searched as words
    skus: list[str] = field(default_factory=list)
    price: int = 0
    created_at: datetime | None = None
    halal: bool = False
    in_stock: bool = True


@dataclass
class BuildStats:
    documents: int
    seconds: float
    bytes: int
    generation: Path


@dataclass
class IndexStatus:
    generation: str
    documents: int
    segments: int


Changes = tuple[list[ProductDocument], list[int]]  # (documents to add or replace, product ids to remove)


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

    def apply_changes(self, upserts: list[ProductDocument], deletes: Iterable[int]) -> None:
        """Adds or replaces ``upserts`` and removes ``deletes`` (product ids), together."""

    def rebuild(
        self, documents: Iterable[ProductDocument], *, procs: int = 1,
        progress: Callable[[int], None] = lambda n: None, catch_up: Callable[[], Changes] | None = None,
    ) -> BuildStats:
        """Replaces the whole index with ``documents`` while searches keep answering from the old one.
        ``catch_up`` is called once the documents are written and before the new index goes live: the changes it
        returns (what happened while the documents were being read) are applied to the new index first."""

    def status(self) -> IndexStatus:
        """Raises ``SearchUnavailable`` when there is no readable index."""
