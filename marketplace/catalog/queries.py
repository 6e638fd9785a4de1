"""Storefront reads around the products: categories, regions, koperasi of a region. Products themselves are read
through ``read_model``. Buyers see only published products of verified koperasi."""


from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.core.errors import NotFound
from marketplace.core.regions import REGIONS_BY_CODE
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, VerificationStatus


def _visible(query: Select) -> Select:
    return query.join(Koperasi, Koperasi.id == Product.koperasi_id).where(
        Product.status == ProductStatus.PUBLISHED, Koperasi.status == VerificationStatus.VERIFIED
    )


def all_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


_statements: dict[str, Select] = {}


def _statement(name: str, build) -> Select:
    """Statements of every page render are built once per process (building one and computing its cache key cost
    more CPU than PostgreSQL spends running these)."""
    if name not in _statements:
        _statements[name] = build()
    return _statements[name]


def category_tree() -> list[Category]:
    """Top-level categories with their children loaded, in one query."""
    categories = db.session.scalars(_statement(
        "categories", lambda: select(Category).order_by(Category.position, Category.name))).all()
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
    rows = db.session.execute(_statement("region_counts", lambda: _visible(
        select(Koperasi.region_code, func.count(Product.id))).group_by(Koperasi.region_code)))
    return {code: n for code, n in rows}


def regions_with_products() -> list[tuple]:
    counts = region_counts()
    return [(REGIONS_BY_CODE[code], n) for code, n in sorted(counts.items(), key=lambda kv: -kv[1])]


def verified_koperasi_in_region(region_code: str) -> list[Koperasi]:
    return list(
        db.session.scalars(
            select(Koperasi)
            .where(Koperasi.region_code == region_code, Koperasi.status == VerificationStatus.VERIFIED)
            .options(joinedload(Koperasi.pesantren))
            .order_by(Koperasi.name)
        )
    )
