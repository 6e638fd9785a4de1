"""Set-based catalogue reads and writes for the bulk file (``marketplace.bulk``): a fixed number of statements
whatever the number of rows, so 10,000 rows take seconds. The same rules as ``services`` — SKUs unique per
koperasi, unique slugs, the publishing rule — and the same events: every write announces the products it touched
through ``changes.products_changed`` (bulk statements bypass the flush hook that would otherwise do it)."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import insert, select, update

from marketplace.catalog.changes import products_changed
from marketplace.catalog.models import Category, Certification, Product, ProductStatus, Variant
from marketplace.extensions import db

_CHUNK = 500


@dataclass
class CatalogueRows:
    """A koperasi's catalogue as plain rows, loaded once for checking a whole file."""

    products: dict  # slug -> row (id, slug, name, category_id, status, description)
    by_id: dict  # product id -> the same row
    variants: dict  # sku -> row (id, sku, product_id, name, options, price, weight_grams, is_active, threshold)
    categories: dict[str, int | None]  # slug or lower-case name -> id (None: a name two categories share)
    expired: set[int]  # products showing a certificate past its validity


def catalogue_rows(koperasi_id: int, today: date | None = None) -> CatalogueRows:
    products = {row.slug: row for row in db.session.execute(
        select(Product.id, Product.slug, Product.name, Product.category_id, Product.status, Product.description)
        .where(Product.koperasi_id == koperasi_id))}
    variants = {row.sku: row for row in db.session.execute(
        select(Variant.id, Variant.sku, Variant.product_id, Variant.name, Variant.options, Variant.price,
               Variant.weight_grams, Variant.is_active, Variant.low_stock_threshold)
        .where(Variant.koperasi_id == koperasi_id))}
    categories: dict[str, int | None] = {}
    for cat in db.session.execute(select(Category.id, Category.slug, Category.name)):
        categories[cat.slug.lower()] = cat.id
        key = cat.name.strip().lower()
        categories[key] = None if key in categories and categories[key] != cat.id else cat.id
    expired = set(db.session.scalars(
        select(Certification.product_id).join(Product, Product.id == Certification.product_id)
        .where(Product.koperasi_id == koperasi_id, Certification.valid_until < (today or date.today()))))
    return CatalogueRows(products, {p.id: p for p in products.values()}, variants, categories, expired)


def publish_blockers_of_row(product_id: int | None, has_active_variant: bool, rows: CatalogueRows) -> list[str]:
    """``services.publish_blockers`` for a product known only as rows: why it may not be published."""
    reasons = []
    if product_id in rows.expired:
        reasons.append(_("Produk dengan sertifikat kedaluwarsa tidak bisa diterbitkan."))
    if not has_active_variant:
        reasons.append(_("Produk tanpa varian aktif tidak bisa diterbitkan."))
    return reasons


def free_slugs(wanted: list[str]) -> list[str]:
    """A unique product slug for each wanted text (a code or a name), in order, distinct from each other too."""
    bases = [slugify(text)[:150] or "produk" for text in wanted]
    taken: set[str] = set()
    candidates = sorted(set(bases))
    for start in range(0, len(candidates), _CHUNK):
        taken.update(db.session.scalars(select(Product.slug).where(Product.slug.in_(candidates[start:start + _CHUNK]))))
    slugs = []
    for base in bases:
        slug, n = base, 1
        # A suffixed candidate may be taken in the database (not only in this file): check both, or the insert fails.
        while slug in taken or (slug != base and _slug_exists(slug)):
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _slug_exists(slug: str) -> bool:
    return db.session.scalar(select(Product.id).where(Product.slug == slug).limit(1)) is not None


def insert_products(koperasi_id: int, rows: list[dict], now: datetime) -> dict[str, int]:
    """``rows``: slug, name, category_id, status, description. Returns slug → new id."""
    if not rows:
        return {}
    values = [{"koperasi_id": koperasi_id, "slug": r["slug"], "name": r["name"], "category_id": r.get("category_id"),
               "status": r.get("status", ProductStatus.DRAFT), "description": r.get("description", ""),
               "is_flagship": False, "created_at": now, "updated_at": now} for r in rows]
    ids = dict(db.session.execute(insert(Product).returning(Product.slug, Product.id), values).all())
    products_changed(ids.values())
    return ids


def update_products(changes: list[dict], now: datetime) -> None:
    """``changes``: id plus the changed columns among name, category_id, status, description."""
    if changes:
        db.session.execute(update(Product), [{**c, "updated_at": now} for c in changes])
        products_changed({c["id"] for c in changes})


def insert_variants(koperasi_id: int, rows: list[dict]) -> None:
    """``rows``: product_id, sku, name, options, price, weight_grams, is_active, position, low_stock_threshold."""
    if rows:
        db.session.execute(insert(Variant), [{**r, "koperasi_id": koperasi_id} for r in rows])
        products_changed({r["product_id"] for r in rows})


def update_variants(changes: list[dict], product_ids: set[int], now: datetime) -> None:
    """``changes``: id plus the changed columns; ``product_ids``: their products, whose ``updated_at`` moves."""
    if changes:
        db.session.execute(update(Variant), changes)
    if product_ids:
        db.session.execute(update(Product), [{"id": pid, "updated_at": now} for pid in sorted(product_ids)])
        products_changed(product_ids)


def variant_ids_by_sku(koperasi_id: int, skus: list[str]) -> dict[str, tuple[int, int]]:
    """SKU → (variant id, product id) within the koperasi."""
    skus = sorted(set(skus))
    result: dict[str, tuple[int, int]] = {}
    for start in range(0, len(skus), 1000):
        result.update({sku: (vid, pid) for sku, vid, pid in db.session.execute(
            select(Variant.sku, Variant.id, Variant.product_id)
            .where(Variant.koperasi_id == koperasi_id, Variant.sku.in_(skus[start:start + 1000])))})
    return result


def export_rows(koperasi_id: int):
    """Every variant of the koperasi with its product's columns, grouped by product, in display order."""
    return db.session.execute(
        select(Product.slug, Product.name, Product.category_id, Product.status, Product.description,
               Variant.id, Variant.sku, Variant.name, Variant.options, Variant.price, Variant.weight_grams,
               Variant.is_active, Variant.low_stock_threshold)
        .join(Variant, Variant.product_id == Product.id)
        .where(Product.koperasi_id == koperasi_id)
        .order_by(Product.id, Variant.position, Variant.id)
    )


def category_slugs() -> dict[int, str]:
    return dict(db.session.execute(select(Category.id, Category.slug)).all())
