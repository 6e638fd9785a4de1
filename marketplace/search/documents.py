"""Reading products from the database into the engine's ``ProductDocument`` values. Only published products of
verified koperasi that have an active variant are searchable: the same rule as the storefront listing. Whether a
product can be bought comes from inventory's read side, like everywhere else in the app."""

from collections.abc import Iterable, Iterator
from html import unescape

import nh3
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.catalog.models import Category, Product, ProductStatus
from marketplace.core.regions import region_label
from marketplace.extensions import db
from marketplace.inventory.queries import available_by_product
from marketplace.koperasi.models import Koperasi, VerificationStatus
from search_index import ProductDocument

CHUNK = 500


def _visible_ids(product_ids: Iterable[int] | None = None, after: int = 0, limit: int | None = None) -> list[int]:
    query = (
        select(Product.id)
        .join(Koperasi, Koperasi.id == Product.koperasi_id)
        .where(Product.status == ProductStatus.PUBLISHED, Koperasi.status == VerificationStatus.VERIFIED)
        .where(Product.id > after)
        .order_by(Product.id)
    )
    if product_ids is not None:
        query = query.where(Product.id.in_(list(product_ids)))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def count_visible() -> int:
    """How many products search should hold (what a rebuild will index)."""
    return len(_visible_ids())


def _plain_text(html: str) -> str:
    return unescape(nh3.clean(html or "", tags=set()))


def _category_words(category: Category | None) -> tuple[str, int, int]:
    if category is None:
        return "", 0, 0
    parts = [category.name, category.name_en]
    root = category
    if category.parent is not None:
        root = category.parent
        parts += [root.name, root.name_en]
    return " ".join(p for p in parts if p), category.id, root.id


def _documents(ids: list[int]) -> list[ProductDocument]:
    products = db.session.scalars(
        select(Product)
        .where(Product.id.in_(ids))
        .options(
            selectinload(Product.variants),
            selectinload(Product.certifications),
            joinedload(Product.koperasi).joinedload(Koperasi.pesantren),
            joinedload(Product.category).joinedload(Category.parent),
        )
        .order_by(Product.id)
        .execution_options(populate_existing=True)  # the database's state, not what this session holds
    ).unique()
    availability = available_by_product(ids)
    documents = []
    for product in products:
        active = [v for v in product.variants if v.is_active]
        if not active:
            continue
        category_words, category_id, root_id = _category_words(product.category)
        koperasi = product.koperasi
        documents.append(
            ProductDocument(
                product_id=product.id, slug=product.slug, name=product.name,
                description=_plain_text(product.description), category=category_words, category_id=category_id,
                category_root_id=root_id, koperasi=koperasi.name, pesantren=koperasi.pesantren.name,
                region_code=koperasi.region_code, region_label=region_label(koperasi.region_code),
                skus=[v.sku for v in active], price=min(v.price for v in active), created_at=product.created_at,
                halal=product.is_halal,
                in_stock=availability[product.id] > 0,
            )
        )
    return documents


def all_documents() -> Iterator[ProductDocument]:
    """Every searchable product, read in id order a chunk at a time (constant memory)."""
    after = 0
    while True:
        ids = _visible_ids(after=after, limit=CHUNK)
        if not ids:
            return
        yield from _documents(ids)
        db.session.expunge_all()
        after = ids[-1]


def documents_for(product_ids: Iterable[int]) -> tuple[list[ProductDocument], list[int]]:
    """Documents for the given products that are searchable, and the ids of those that must leave the index."""
    wanted = sorted({int(i) for i in product_ids})
    documents = []
    for start in range(0, len(wanted), CHUNK):
        visible = _visible_ids(wanted[start:start + CHUNK])
        documents += _documents(visible) if visible else []
    indexed = {d.product_id for d in documents}
    return documents, [i for i in wanted if i not in indexed]
