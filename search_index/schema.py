"""The index schema, and how a ``ProductDocument`` becomes Whoosh fields.

Text fields carry field boosts (a match in the name counts most). Filtering, faceting and sorting read per-document
integer columns, loaded once per segment into memory by the reader, rather than Whoosh's query-time faceting,
which was the slow part in our measurements.
"""

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from search_index.analysis import SECTION_BREAK, weighted_analyzer, words
from search_index.api import PRICE_BANDS, ProductDocument

COLUMN_FIELDS = (
    "product_id", "price", "created", "category_id", "category_root_id", "halal", "in_stock", "text_length",
)
# Keyword fields the reader turns into integer columns itself (term → a number it assigns), so the engine needs no
# fixed table of their values: a region is whatever code the app sends.
KEY_FIELDS = ("region",)
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
        region=ID(),
        **{name: COLUMN(columns.NumericColumn("I", default=0)) for name in COLUMN_FIELDS},
    )


def schema_matches(schema: Schema) -> bool:
    """Whether an index on disk was written with today's fields (same names, same kinds)."""
    expected = build_schema()
    return sorted(schema.names()) == sorted(expected.names()) and all(
        type(schema[name]) is type(expected[name]) for name in expected.names()
    )


def document_fields(document: ProductDocument) -> dict:
    """The Whoosh fields of one document."""
    d = document
    surface = " ".join(w for w in words(f"{d.name} {d.category} {d.region_label}") if len(w) > 1)
    place = f"{d.region_label} {d.koperasi} {d.pesantren}"
    text = SECTION_BREAK.join((d.name, d.category, place, d.description[:4000]))
    fields = {
        "id": str(document.product_id),
        "slug": document.slug,
        "name": document.name,
        "description": document.description[:SNIPPET_SOURCE_CHARS],
        "text": text,
        "text_length": len(words(text)),
        "sku": " ".join(s.lower() for s in document.skus),
        "words": surface,
        "product_id": document.product_id,
        "price": max(0, int(document.price)),
        "created": int(document.created_at.timestamp()) if document.created_at else 0,
        "category_id": document.category_id or 0,
        "category_root_id": document.category_root_id or 0,
        "halal": int(document.halal),
        "in_stock": int(document.in_stock),
    }
    if document.region_code:
        fields["region"] = document.region_code
    return fields


def price_band(price: int) -> str:
    for key, low, high in PRICE_BANDS:
        if price >= low and (high is None or price < high):
            return key
    return PRICE_BANDS[-1][0]
