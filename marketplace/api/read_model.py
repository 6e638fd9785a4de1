"""The catalogue as the API reads it: frozen snapshots of product cards and details.

A thin adapter over ``marketplace.catalog.queries`` and the search interface until the shared storefront read
model (``marketplace.catalog.read_model``) lands; switching to it is a change to this file only."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, func, or_, select

from marketplace.catalog import queries
from marketplace.catalog.models import (
    Category,
    Certification,
    CertificationKind,
    Product,
    ProductImage,
    ProductStatus,
    Variant,
)
from marketplace.core.errors import NotFound
from marketplace.core.regions import region_label
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, Pesantren, VerificationStatus
from marketplace.storefront.search import search_products
from search_index import SearchRequest


@dataclass(frozen=True)
class ImageRef:
    id: int
    path: str
    thumb_path: str
    alt: str


@dataclass(frozen=True)
class VariantRef:
    id: int
    product_id: int
    name: str
    sku: str
    price: int
    weight_grams: int


@dataclass(frozen=True)
class CategoryRef:
    id: int
    name: str
    slug: str
    parent_id: int | None


@dataclass(frozen=True)
class KoperasiRef:
    id: int
    name: str
    slug: str
    region_code: str
    region: str
    pesantren: str


@dataclass(frozen=True)
class CertificationRef:
    kind: str
    number: str
    valid_until: date | None


@dataclass(frozen=True)
class ProductCard:
    id: int
    slug: str
    name: str
    description: str
    created_at: datetime
    updated_at: datetime
    is_flagship: bool
    category_id: int | None
    koperasi: KoperasiRef
    images: tuple[ImageRef, ...]
    variants: tuple[VariantRef, ...]
    certifications: tuple[CertificationRef, ...]
    # A listing card carries only what a grid shows (price range, cover); the rest is loaded on demand.
    complete: bool = True
    listed_price_range: tuple[int, int] | None = None

    @property
    def price_range(self) -> tuple[int, int] | None:
        if not self.complete:
            return self.listed_price_range
        prices = [v.price for v in self.variants]
        return (min(prices), max(prices)) if prices else None


@dataclass(frozen=True)
class ProductPage:
    items: list[ProductCard]
    total: int


def _category(category: Category) -> CategoryRef:
    return CategoryRef(category.id, category.name, category.slug, category.parent_id)


def koperasi_ref(koperasi) -> KoperasiRef:
    return KoperasiRef(koperasi.id, koperasi.name, koperasi.slug, koperasi.region_code,
                       region_label(koperasi.region_code), koperasi.pesantren.name)


def _card(product: Product) -> ProductCard:
    today = date.today()
    return ProductCard(
        id=product.id, slug=product.slug, name=product.name, description=product.description or "",
        created_at=product.created_at, updated_at=product.updated_at, is_flagship=product.is_flagship,
        category_id=product.category_id,
        koperasi=koperasi_ref(product.koperasi),
        images=tuple(ImageRef(i.id, i.path, i.thumb_path, i.alt) for i in product.images),
        variants=tuple(VariantRef(v.id, v.product_id, v.label, v.sku, v.price, v.weight_grams)
                       for v in product.variants if v.is_active),
        certifications=tuple(CertificationRef(c.kind.value, c.number, c.valid_until) for c in product.certifications
                             if c.valid_until is None or c.valid_until >= today),
    )


_SORTS = {("NAME", "ASC"): "nama", ("PRICE", "ASC"): "termurah", ("PRICE", "DESC"): "termahal",
          ("CREATED_AT", "DESC"): "terbaru", ("PUBLISHED_AT", "DESC"): "terbaru"}
SUPPORTED_SORTS = tuple(_SORTS)


def _window(offset: int, limit: int) -> tuple[int, int, int]:
    """(page, per_page, skip): pages of the listing that cover [offset, offset + limit). Clients page with one
    page size, so offsets usually fall on a page boundary and the covering page is exactly the window."""
    if limit and offset % limit == 0:
        return offset // limit + 1, limit, 0
    return 1, offset + limit, offset


def _listing_query(category_ids, koperasi_id, region_codes, halal_only, price_min, price_max):
    """Card rows in one statement (no ORM objects): the grid's hot path."""
    prices = (select(Variant.product_id, func.min(Variant.price).label("low"), func.max(Variant.price).label("high"))
              .where(Variant.is_active.is_(True)).group_by(Variant.product_id).subquery())
    cover = (select(ProductImage.thumb_path).where(ProductImage.product_id == Product.id)
             .order_by(ProductImage.position, ProductImage.id).limit(1).scalar_subquery())
    cover_alt = (select(ProductImage.alt).where(ProductImage.product_id == Product.id)
                 .order_by(ProductImage.position, ProductImage.id).limit(1).scalar_subquery())
    query = (select(Product.id, Product.slug, Product.name, Product.created_at, Product.updated_at,
                    Product.is_flagship, Product.category_id, prices.c.low, prices.c.high, cover.label("cover"),
                    cover_alt.label("cover_alt"), Koperasi.id.label("k_id"), Koperasi.name.label("k_name"),
                    Koperasi.slug.label("k_slug"), Koperasi.region_code, Pesantren.name.label("p_name"))
             .join(prices, prices.c.product_id == Product.id)
             .join(Koperasi, Koperasi.id == Product.koperasi_id).join(Pesantren, Pesantren.id == Koperasi.pesantren_id)
             .where(Product.status == ProductStatus.PUBLISHED, Koperasi.status == VerificationStatus.VERIFIED))
    if category_ids:
        query = query.where(Product.category_id.in_(category_ids))
    if region_codes:
        query = query.where(Koperasi.region_code.in_(region_codes))
    if koperasi_id:
        query = query.where(Product.koperasi_id == koperasi_id)
    if halal_only:
        query = query.where(exists().where(
            Certification.product_id == Product.id, Certification.kind == CertificationKind.HALAL,
            or_(Certification.valid_until.is_(None), Certification.valid_until >= date.today())))
    if price_min is not None:
        query = query.where(prices.c.low >= price_min)
    if price_max is not None:
        query = query.where(prices.c.low <= price_max)
    return query, prices


_ORDER = {
    "terbaru": lambda p: (Product.created_at.desc(), Product.id.desc()),
    "termurah": lambda p: (p.c.low.asc(), Product.id),
    "termahal": lambda p: (p.c.low.desc(), Product.id),
    "nama": lambda p: (Product.name.asc(), Product.id),
}


def _listed(row) -> ProductCard:
    images = (ImageRef(0, row.cover, row.cover, row.cover_alt or ""),) if row.cover else ()
    return ProductCard(
        id=row.id, slug=row.slug, name=row.name, description="", created_at=row.created_at,
        updated_at=row.updated_at, is_flagship=row.is_flagship, category_id=row.category_id,
        koperasi=KoperasiRef(row.k_id, row.k_name, row.k_slug, row.region_code, region_label(row.region_code),
                             row.p_name),
        images=images, variants=(), certifications=(), complete=False, listed_price_range=(row.low, row.high))


def list_products(offset: int, limit: int, *, category_ids: list[int] | None = None, sort: tuple[str, str] | None,
                  search: str = "", koperasi_id: int | None = None, region_codes: list[str] | None = None,
                  halal_only: bool = False, price_min: int | None = None,
                  price_max: int | None = None) -> ProductPage:
    """Published products of verified koperasi, ``limit`` of them from ``offset``. Text goes to the search
    interface (ranked, or by the requested sort); everything else to the database listing."""
    if search.strip():
        page, per_page, skip = _window(offset, limit)
        request = SearchRequest(text=" ".join(search.split())[:200], category_ids=tuple(category_ids or ()),
                                region_codes=tuple(region_codes or ()), halal_only=halal_only, price_min=price_min,
                                price_max=price_max, sort=_SORTS.get(sort, "relevansi") if sort else "relevansi",
                                page=page, per_page=per_page, facets=False, highlight=False)
        found = search_products(request)
        products = [product for product, _hit in found.items]
        if koperasi_id:
            products = [p for p in products if p.koperasi_id == koperasi_id]
        return ProductPage([_card(p) for p in products[skip:skip + limit]], found.page.total)
    query, prices = _listing_query(category_ids, koperasi_id, region_codes, halal_only, price_min, price_max)
    total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(Product.id).subquery()))
    order = _ORDER[_SORTS.get(sort, "terbaru") if sort else "terbaru"](prices)
    rows = db.session.execute(query.order_by(*order).limit(limit).offset(offset)).all()
    return ProductPage([_listed(row) for row in rows], total or 0)


def product_by_slug(slug: str) -> ProductCard | None:
    try:
        return _card(queries.published_product(slug))
    except NotFound:
        return None


def product_by_id(product_id: int) -> ProductCard | None:
    product = queries.visible_products_by_ids([product_id]).get(product_id)
    return _card(product) if product else None


def cards_by_ids(product_ids: list[int]) -> dict[int, ProductCard]:
    """Visible products by id, for a checkout's lines (in one go)."""
    return {pid: _card(p) for pid, p in queries.visible_products_by_ids(product_ids).items()}


def card_of(product: Product) -> ProductCard:
    """A product that is no longer on sale, still shown where a buyer has it in a checkout or an order."""
    return _card(product)


def categories() -> list[CategoryRef]:
    return [_category(c) for c in queries.all_categories()]


def category_ids_with_children(category_ids: list[int]) -> list[int]:
    """A category filter matches the category and its subcategories, as on the storefront."""
    wanted = set(category_ids)
    return sorted(wanted | {c.id for c in categories() if c.parent_id in wanted})
