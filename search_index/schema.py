"""The index schema and the document shape the indexer accepts.

Text fields carry field boosts (a match in the name counts most). Filtering, faceting and sorting read per-document
integer columns, loaded once per segment into memory by the reader, rather than Whoosh's query-time faceting,
which was the slow part in our measurements.
"""

from dataclasses import dataclass, field
from datetime import datetime

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from marketplace.core.regions import REGION_CODES
from search_index.analysis import SECTION_BREAK, weighted_analyzer, words

# Column values are small integers; a region is its position in REGION_CODES plus one (0 = unknown).
REGION_NUMBER = {code: i + 1 for i, code in enumerate(REGION_CODES)}
REGION_BY_NUMBER = {i + 1: code for i, code in enumerate(REGION_CODES)}

# Price bands for the facet, in rupiah: (key, lower bound inclusive, upper bound exclusive).
PRICE_BANDS = (
    ("0-25000", 0, 25_000),
    ("25000-50000", 25_000, 50_000),
    ("50000-100000", 50_000, 100_000),
    ("100000-250000", 100_000, 250_000),
    ("250000-", 250_000, None),
)
COLUMN_FIELDS = (
    "product_id", "price", "created", "category_id", "category_root_id", "region", "halal", "in_stock", "text_length",
)
# The weight of a word by where it appears: name, category, place (region, koperasi, pesantren), description.
SECTION_BOOSTS = (5.0, 2.0, 1.5, 1.0)
TEXT_FIELDS = ("text",)
SKU_BOOST = 20.0
SNIPPET_SOURCE_CHARS = 600


def build_schema() -> Schema:
    return Schema(
        id=ID(unique=True, stored=True),
        slug=STORED(),
        name=STORED(),
        description=STORED(),
        text=TEXT(analyzer=weighted_analyzer(SECTION_BOOSTS), phrase=False),
        sku=KEYWORD(lowercase=True, scorable=True, field_boost=SKU_BOOST),
        words=KEYWORD(lowercase=True),
        **{name: COLUMN(columns.NumericColumn("I", default=0)) for name in COLUMN_FIELDS},
    )


@dataclass
class ProductDocument:
    """Everything the index knows about one product (built from the database, or from the benchmark)."""

    product_id: int
    slug: str
    name: str
    description: str
    category: str  # the category and its parent, as words
    category_id: int
    category_root_id: int
    koperasi: str
    pesantren: str
    region_code: str
    region_label: str
    skus: list[str] = field(default_factory=list)
    price: int = 0
    created_at: datetime | None = None
    halal: bool = False
    in_stock: bool = True

    def fields(self) -> dict:
        surface = " ".join(w for w in words(f"{self.name} {self.category} {self.region_label}") if len(w) > 1)
        text = SECTION_BREAK.join(
            (self.name, self.category, f"{self.region_label} {self.koperasi} {self.pesantren}", self.description[:4000])
        )
        return {
            "id": str(self.product_id),
            "slug": self.slug,
            "name": self.name,
            "description": self.description[:SNIPPET_SOURCE_CHARS],
            "text": text,
            "text_length": len(words(text)),
            "sku": " ".join(s.lower() for s in self.skus),
            "words": surface,
            "product_id": self.product_id,
            "price": max(0, int(self.price)),
            "created": int(self.created_at.timestamp()) if self.created_at else 0,
            "category_id": self.category_id or 0,
            "category_root_id": self.category_root_id or 0,
            "region": REGION_NUMBER.get(self.region_code, 0),
            "halal": int(self.halal),
            "in_stock": int(self.in_stock),
        }


def price_band(price: int) -> str:
    for key, low, high in PRICE_BANDS:
        if price >= low and (high is None or price < high):
            return key
    return PRICE_BANDS[-1][0]
