"""Storefront reads. Buyers see only published products of verified koperasi. Each function runs a fixed
number of queries whatever the number of products (eager loading, no per-row lookups)."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.catalog.models import Category, Certification, CertificationKind, Product, ProductStatus, Variant
from marketplace.core.errors import NotFound
from marketplace.core.numbers import clamp_filter
from marketplace.core.pagination import Page
from marketplace.core.regions import REGIONS_BY_CODE
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, VerificationStatus

SORTS = {
    "terbaru": lambda price: (Product.created_at.desc(), Product.id.desc()),
    "termurah": lambda price: (price.asc(), Product.id),
    "termahal": lambda price: (price.desc(), Product.id),
    "nama": lambda price: (Product.name.asc(), Product.id),
}


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


def _price_subquery():
    return (
        select(Variant.product_id, func.min(Variant.price).label("min_price"))
        .where(Variant.is_active.is_(True))
        .group_by(Variant.product_id)
        .subquery()
    )


def _visible(query: Select) -> Select:
    return query.join(Koperasi, Koperasi.id == Product.koperasi_id).where(
        Product.status == ProductStatus.PUBLISHED, Koperasi.status == VerificationStatus.VERIFIED
    )


def _card_options():
    return (
        selectinload(Product.images),
        selectinload(Product.certifications),
        selectinload(Product.variants),
        joinedload(Product.koperasi).joinedload(Koperasi.pesantren),
    )


def list_products(filters: ListingFilters, page: int = 1, per_page: int = 24) -> Page:
    price = _price_subquery()
    query = _visible(select(Product).join(price, price.c.product_id == Product.id))
    if filters.category_ids:
        query = query.where(Product.category_id.in_(filters.category_ids))
    if filters.region_codes:
        query = query.where(Koperasi.region_code.in_(filters.region_codes))
    if filters.koperasi_id:
        query = query.where(Product.koperasi_id == filters.koperasi_id)
    if filters.pesantren_id:
        query = query.where(Koperasi.pesantren_id == filters.pesantren_id)
    if filters.flagship_only:
        query = query.where(Product.is_flagship.is_(True))
    if filters.halal_only:
        query = query.where(
            exists().where(
                Certification.product_id == Product.id,
                Certification.kind == CertificationKind.HALAL,
                or_(Certification.valid_until.is_(None), Certification.valid_until >= date.today()),
            )
        )
    for word in filters.text.split()[:8]:
        query = query.where(
            or_(Product.name.icontains(word, autoescape=True), Product.description.icontains(word, autoescape=True))
        )
    if filters.price_min is not None:
        query = query.where(price.c.min_price >= filters.price_min)
    if filters.price_max is not None:
        query = query.where(price.c.min_price <= filters.price_max)

    total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(Product.id).subquery()))
    items = db.session.scalars(
        query.options(*_card_options())
        .order_by(*SORTS[filters.sort](price.c.min_price))
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), page=page, per_page=per_page, total=total or 0)


def published_product(slug: str) -> Product:
    product = db.session.scalar(
        _visible(select(Product))
        .where(Product.slug == slug)
        .options(*_card_options(), joinedload(Product.category).joinedload(Category.parent))
    )
    if product is None:
        raise NotFound(_("Produk tidak ditemukan."))
    return product


def visible_products_by_ids(product_ids: list[int]) -> dict[int, Product]:
    """Products for a page of search hits, loaded for cards in one go; anything no longer visible is left out."""
    if not product_ids:
        return {}
    products = db.session.scalars(
        _visible(select(Product)).where(Product.id.in_(product_ids)).options(*_card_options())
    ).unique()
    return {p.id: p for p in products}


def all_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def category_tree() -> list[Category]:
    """Top-level categories with their children loaded, in one query."""
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name)).all()
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    for category in categories:
        set_committed_value(category, "children", children.get(category.id, []))
    return [c for c in categories if c.parent_id is None]


def category_with_descendants(slug: str) -> tuple[Category, list[int]]:
    tree = category_tree()
    stack = list(tree)
    while stack:
        category = stack.pop()
        if category.slug == slug:
            ids, todo = [], [category]
            while todo:
                current = todo.pop()
                ids.append(current.id)
                todo.extend(current.children)
            return category, ids
        stack.extend(category.children)
    raise NotFound(_("Kategori tidak ditemukan."))


def region_counts() -> dict[str, int]:
    """Number of visible products per kabupaten/kota."""
    rows = db.session.execute(
        _visible(select(Koperasi.region_code, func.count(Product.id))).group_by(Koperasi.region_code)
    )
    return {code: n for code, n in rows}


def regions_with_products() -> list[tuple]:
    counts = region_counts()
    return [(REGIONS_BY_CODE[code], n) for code, n in sorted(counts.items(), key=lambda kv: -kv[1])]


def home_sections() -> dict:
    flagship = list_products(ListingFilters(flagship_only=True), 1, 12).items
    newest = list_products(ListingFilters(sort="terbaru"), 1, 12).items
    return {"flagship": flagship, "newest": newest, "categories": category_tree(),
            "regions": regions_with_products()[:12]}


def verified_koperasi_in_region(region_code: str) -> list[Koperasi]:
    return list(
        db.session.scalars(
            select(Koperasi)
            .where(Koperasi.region_code == region_code, Koperasi.status == VerificationStatus.VERIFIED)
            .options(joinedload(Koperasi.pesantren))
            .order_by(Koperasi.name)
        )
    )
