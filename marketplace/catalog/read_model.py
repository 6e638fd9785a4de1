"""The catalogue as buyers see it: immutable cards and details built from a few plain-row queries.

Shared by the storefront pages and the GraphQL API, so both show the same thing and neither walks ORM object
graphs on the hot path (loading ORM products with four selectinloads cost 30-50 ms a page). Every function runs a
fixed number of queries whatever the number of products. Only published products of verified koperasi exist
here. Stock is not read here (catalog does not depend on inventory): it moves far more often than the rest, so
pages cache the catalogue part and look stock up live from ``inventory.queries``; ``with_stock`` puts such a lookup
into the values for callers that want it inside them (the API).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Date, Select, String, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased

from marketplace.catalog.models import (
    Category,
    Certification,
    CertificationKind,
    Product,
    ProductImage,
    ProductStatus,
    Variant,
    variant_label,
)
from marketplace.core.numbers import clamp_filter
from marketplace.core.pagination import Page
from marketplace.core.reads import read_connection
from marketplace.core.regions import REGIONS_BY_CODE, region_label
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, Pesantren, VerificationStatus

SORTS = ("terbaru", "termurah", "termahal", "nama")


@dataclass(frozen=True, slots=True)
class ImageView:
    path: str
    thumb_path: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class KoperasiRef:
    id: int
    name: str
    slug: str
    region_code: str
    pesantren_name: str
    pesantren_slug: str

    @property
    def region_label(self) -> str:
        return region_label(self.region_code)


@dataclass(frozen=True, slots=True)
class CategoryRef:
    id: int
    name: str
    name_en: str
    slug: str
    parent: "CategoryRef | None" = None


@dataclass(frozen=True, slots=True)
class CertificationView:
    kind: CertificationKind
    number: str
    valid_until: date | None

    @property
    def is_valid(self) -> bool:
        return self.valid_until is None or self.valid_until >= date.today()


@dataclass(frozen=True, slots=True)
class VariantView:
    id: int
    sku: str
    label: str
    price: int
    weight_grams: int
    options: dict = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True, slots=True)
class ProductCard:
    """What a product grid shows. ``in_stock`` is None unless the caller asked for stock."""

    id: int
    slug: str
    name: str
    price_min: int
    price_max: int
    cover: ImageView | None
    koperasi: KoperasiRef
    category_id: int | None
    is_halal: bool
    is_flagship: bool
    in_stock: bool | None = None

    @property
    def price_range(self) -> tuple[int, int]:
        return (self.price_min, self.price_max)


@dataclass(frozen=True, slots=True)
class ProductDetail:
    """The product page. ``stock`` maps variant id to units a buyer can still buy, when asked for."""

    id: int
    slug: str
    name: str
    description: str
    is_flagship: bool
    koperasi: KoperasiRef
    category: CategoryRef | None
    variants: tuple[VariantView, ...]
    images: tuple[ImageView, ...]
    certifications: tuple[CertificationView, ...]
    stock: dict[int, int] | None = field(default=None, hash=False, compare=False)

    @property
    def price_range(self) -> tuple[int, int] | None:
        prices = [v.price for v in self.variants]
        return (min(prices), max(prices)) if prices else None

    @property
    def is_halal(self) -> bool:
        return any(c.kind == CertificationKind.HALAL and c.is_valid for c in self.certifications)

    @property
    def in_stock(self) -> bool | None:
        return None if self.stock is None else any(self.stock.values())


@dataclass
class ListingFilters:
    category_ids: list[int] = field(default_factory=list)
    region_codes: list[str] = field(default_factory=list)
    koperasi_id: int | None = None
    pesantren_id: int | None = None
    halal_only: bool = False
    flagship_only: bool = False
    price_min: int | None = None
    price_max: int | None = None
    sort: str = "terbaru"
    text: str = ""  # words the name or description must contain (the fallback when the search index is down)

    @classmethod
    def from_args(cls, args) -> "ListingFilters":
        """Reads a listing's query string; anything malformed is ignored rather than an error."""

        def to_int(name):
            try:
                value = int(args.get(name, "").replace(".", ""))
                return clamp_filter(value) if value >= 0 else None
            except ValueError:
                return None

        sort = args.get("urut", "terbaru")
        return cls(
            region_codes=[c for c in args.getlist("wilayah") if c in REGIONS_BY_CODE],
            halal_only=args.get("halal") == "1",
            price_min=to_int("harga_min"),
            price_max=to_int("harga_max"),
            sort=sort if sort in SORTS else "terbaru",
        )


def _prices():
    return (
        select(Variant.product_id, func.min(Variant.price).label("price_min"),
               func.max(Variant.price).label("price_max"))
        .where(Variant.is_active.is_(True))
        .group_by(Variant.product_id)
        .subquery()
    )


def _halal_now():
    return exists().where(
        Certification.product_id == Product.id,
        Certification.kind == CertificationKind.HALAL,
        or_(Certification.valid_until.is_(None), Certification.valid_until >= bindparam("today", type_=Date)),
    )


def _first_image(column):
    return (select(column).where(ProductImage.product_id == Product.id)
            .order_by(ProductImage.position, ProductImage.id).limit(1).scalar_subquery())


def _card_query() -> tuple[Select, object]:
    """Published products of verified koperasi with an active variant, as card rows."""
    prices = _prices()
    query = (
        select(Product.id, Product.slug, Product.name, prices.c.price_min, prices.c.price_max,
               _first_image(ProductImage.thumb_path).label("thumb"), _first_image(ProductImage.alt).label("alt"),
               Koperasi.id.label("k_id"), Koperasi.name.label("k_name"), Koperasi.slug.label("k_slug"),
               Koperasi.region_code, Pesantren.name.label("p_name"), Pesantren.slug.label("p_slug"),
               Product.category_id, _halal_now().label("is_halal"), Product.is_flagship)
        .join(prices, prices.c.product_id == Product.id)
        .join(Koperasi, Koperasi.id == Product.koperasi_id)
        .join(Pesantren, Pesantren.id == Koperasi.pesantren_id)
        .where(Product.status == ProductStatus.PUBLISHED, Koperasi.status == VerificationStatus.VERIFIED)
    )
    return query, prices


def _card(row) -> ProductCard:
    cover = ImageView(row.thumb, row.thumb, 400, 400, row.alt or "") if row.thumb else None
    koperasi = KoperasiRef(row.k_id, row.k_name, row.k_slug, row.region_code, row.p_name, row.p_slug)
    return ProductCard(row.id, row.slug, row.name, row.price_min, row.price_max, cover, koperasi, row.category_id,
                       bool(row.is_halal), bool(row.is_flagship))


def _filtered(filters: ListingFilters) -> tuple[Select, object, dict]:
    """The listing statement for the *shape* of ``filters`` (which filters are set), with their values as bound
    parameters: the same shape reuses one statement object, whose SQLAlchemy cache key is then computed once."""
    words = filters.text.split()[:8]
    shape = (bool(filters.category_ids), bool(filters.region_codes), bool(filters.koperasi_id),
             bool(filters.pesantren_id), filters.flagship_only, filters.halal_only, len(words),
             filters.price_min is not None, filters.price_max is not None)
    values = {"today": date.today(), "category_ids": filters.category_ids, "region_codes": filters.region_codes,
              "koperasi_id": filters.koperasi_id, "pesantren_id": filters.pesantren_id,
              "price_min": filters.price_min, "price_max": filters.price_max}
    values.update({f"word{i}": f"%{_escape_like(word)}%" for i, word in enumerate(words)})
    if shape not in _shapes:
        _shapes[shape] = _build_filtered(shape)
    query, prices = _shapes[shape]
    return query, prices, values


_shapes: dict[tuple, tuple[Select, object]] = {}
_pages: dict[tuple, tuple[Select, Select]] = {}


def _escape_like(word: str) -> str:
    return word.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _build_filtered(shape: tuple) -> tuple[Select, object]:
    category, region, koperasi, pesantren, flagship, halal, n_words, price_min, price_max = shape
    query, prices = _card_query()
    if category:
        query = query.where(Product.category_id.in_(bindparam("category_ids", expanding=True)))
    if region:
        query = query.where(Koperasi.region_code.in_(bindparam("region_codes", expanding=True)))
    if koperasi:
        query = query.where(Product.koperasi_id == bindparam("koperasi_id"))
    if pesantren:
        query = query.where(Koperasi.pesantren_id == bindparam("pesantren_id"))
    if flagship:
        query = query.where(Product.is_flagship.is_(True))
    if halal:
        query = query.where(_halal_now())
    for i in range(n_words):
        pattern = bindparam(f"word{i}", type_=String)
        query = query.where(or_(func.lower(Product.name).like(func.lower(pattern), escape="/"),
                                func.lower(Product.description).like(func.lower(pattern), escape="/")))
    if price_min:
        query = query.where(prices.c.price_min >= bindparam("price_min"))
    if price_max:
        query = query.where(prices.c.price_min <= bindparam("price_max"))
    return query, prices


def _order(sort: str, prices) -> tuple:
    return {
        "terbaru": (Product.created_at.desc(), Product.id.desc()),
        "termurah": (prices.c.price_min.asc(), Product.id),
        "termahal": (prices.c.price_min.desc(), Product.id),
        "nama": (Product.name.asc(), Product.id),
    }[sort if sort in SORTS else "terbaru"]


def list_cards(filters: ListingFilters, page: int = 1, per_page: int = 24, *, count: bool = True) -> Page:
    """A page of cards matching ``filters`` (two queries; one without ``count``, and ``total`` is then the number
    of items)."""
    query, prices, values = _filtered(filters)
    key = (id(query), filters.sort)
    if key not in _pages:
        _pages[key] = (
            query.order_by(*_order(filters.sort, prices)).limit(bindparam("limit")).offset(bindparam("offset")),
            select(func.count()).select_from(query.with_only_columns(Product.id).subquery()),
        )
    rows_statement, count_statement = _pages[key]
    connection = read_connection()
    total = connection.execute(count_statement, values).scalar() if count else 0
    rows = connection.execute(rows_statement, {**values, "limit": per_page, "offset": (page - 1) * per_page}).all()
    items = [_card(r) for r in rows]
    return Page(items=items, page=page, per_page=per_page, total=(total or 0) if count else len(items))


def product_cards(product_ids: Sequence[int]) -> dict[int, ProductCard]:
    """Cards for the given ids (a page of search hits), keyed by id; ids no longer visible are left out."""
    if not product_ids:
        return {}
    if "by_ids" not in _shapes:
        query, prices = _card_query()
        _shapes["by_ids"] = (query.where(Product.id.in_(bindparam("ids", expanding=True))), prices)
    rows = read_connection().execute(_shapes["by_ids"][0], {"ids": list(product_ids),
                                                                   "today": date.today()}).all()
    return {r.id: _card(r) for r in rows}


def _detail_statements() -> tuple[Select, Select, Select, Select]:
    if "detail" not in _shapes:
        parent = aliased(Category)
        product_id = bindparam("product_id")
        _shapes["detail"] = (
            select(Product.id, Product.slug, Product.name, Product.description, Product.is_flagship,
                   Koperasi.id.label("k_id"), Koperasi.name.label("k_name"), Koperasi.slug.label("k_slug"),
                   Koperasi.region_code, Pesantren.name.label("p_name"), Pesantren.slug.label("p_slug"),
                   Category.id.label("c_id"), Category.name.label("c_name"), Category.name_en.label("c_name_en"),
                   Category.slug.label("c_slug"), parent.id.label("pc_id"), parent.name.label("pc_name"),
                   parent.name_en.label("pc_name_en"), parent.slug.label("pc_slug"))
            .join(Koperasi, Koperasi.id == Product.koperasi_id)
            .join(Pesantren, Pesantren.id == Koperasi.pesantren_id)
            .outerjoin(Category, Category.id == Product.category_id)
            .outerjoin(parent, parent.id == Category.parent_id)
            .where(Product.slug == bindparam("slug"), Product.status == ProductStatus.PUBLISHED,
                   Koperasi.status == VerificationStatus.VERIFIED),
            select(Variant.id, Variant.sku, Variant.name, Variant.options, Variant.price, Variant.weight_grams)
            .where(Variant.product_id == product_id, Variant.is_active.is_(True))
            .order_by(Variant.position, Variant.id),
            select(ProductImage.path, ProductImage.thumb_path, ProductImage.width, ProductImage.height,
                   ProductImage.alt).where(ProductImage.product_id == product_id)
            .order_by(ProductImage.position, ProductImage.id),
            select(Certification.kind, Certification.number, Certification.valid_until)
            .where(Certification.product_id == product_id).order_by(Certification.kind),
        )
    return _shapes["detail"]


def product_detail(slug: str) -> ProductDetail | None:
    """The product page's data, or None when no buyer may see it (four queries)."""
    product_q, variants_q, images_q, certifications_q = _detail_statements()
    connection = read_connection()
    row = connection.execute(product_q, {"slug": slug}).first()
    if row is None:
        return None
    ids = {"product_id": row.id}
    variants = tuple(VariantView(v.id, v.sku, variant_label(v.name, v.options, v.sku), v.price, v.weight_grams,
                                 dict(v.options or {})) for v in connection.execute(variants_q, ids))
    images = tuple(ImageView(*i) for i in connection.execute(images_q, ids))
    certifications = tuple(CertificationView(*c) for c in connection.execute(certifications_q, ids))
    category = None
    if row.c_id is not None:
        up = CategoryRef(row.pc_id, row.pc_name, row.pc_name_en, row.pc_slug) if row.pc_id is not None else None
        category = CategoryRef(row.c_id, row.c_name, row.c_name_en, row.c_slug, up)
    return ProductDetail(row.id, row.slug, row.name, row.description, row.is_flagship,
                         KoperasiRef(row.k_id, row.k_name, row.k_slug, row.region_code, row.p_name, row.p_slug),
                         category, variants, images, certifications)


def with_stock(value, available: Mapping[int, Mapping[int, int]]):
    """A card or detail with stock filled in from ``available`` (product id -> variant id -> units, as
    ``inventory.queries`` reads it); a product missing there has none."""
    units = available.get(value.id, {})
    if isinstance(value, ProductDetail):
        return replace(value, stock={v.id: units.get(v.id, 0) for v in value.variants})
    return replace(value, in_stock=any(units.values()))


def visible_product_ref(slug: str) -> tuple[int, int] | None:
    """(product id, koperasi id) of a product a buyer may see: what the page cache keys a product page by."""
    row = db.session.execute(
        select(Product.id, Product.koperasi_id).join(Koperasi, Koperasi.id == Product.koperasi_id)
        .where(Product.slug == slug, Product.status == ProductStatus.PUBLISHED,
               Koperasi.status == VerificationStatus.VERIFIED)
    ).first()
    return (row.id, row.koperasi_id) if row else None


def home_sections(per_section: int = 12) -> dict[str, list[ProductCard]]:
    """The home page's product rows: flagship and newest."""
    return {
        "flagship": list_cards(ListingFilters(flagship_only=True), 1, per_section, count=False).items,
        "newest": list_cards(ListingFilters(sort="terbaru"), 1, per_section, count=False).items,
    }
