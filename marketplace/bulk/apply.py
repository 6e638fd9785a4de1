"""Bulk catalog import, second half: write a checked plan through ``catalog.bulk``'s set-based functions, in the
caller's transaction (the request or the Celery task commits once). Unchanged rows cause no write."""

from flask_babel import gettext as _

from marketplace.bulk.plan import ImportPlan, PlannedProduct, Progress
from marketplace.catalog import bulk as catalog_bulk
from marketplace.catalog.models import ProductStatus
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.audit import audit
from marketplace.koperasi.models import Membership

_PRODUCT_FIELDS = ("name", "category_id", "status", "description")


def _create_products(koperasi_id: int, new_products: list[PlannedProduct], now) -> None:
    slugs = catalog_bulk.free_slugs([p.code or p.values["name"] for p in new_products])
    for planned, slug in zip(new_products, slugs, strict=True):
        planned.code = slug
    ids = catalog_bulk.insert_products(koperasi_id, [
        {"slug": p.code, "name": p.values["name"], "category_id": p.values.get("category_id"),
         "status": p.values.get("status", ProductStatus.DRAFT), "description": p.values.get("description", "")}
        for p in new_products], now)
    for planned in new_products:
        planned.id = ids[planned.code]


def apply_plan(actor: Membership, plan: ImportPlan, progress: Progress = lambda done, total: None) -> dict:
    koperasi_id = actor.koperasi_id
    rows = catalog_bulk.catalogue_rows(koperasi_id)
    now = utcnow()
    new_products = [p for p in plan.products if p.id is None]
    _create_products(koperasi_id, new_products, now)
    product_updates = []
    for planned in plan.products:
        current = rows.by_id.get(planned.id)
        if current is None:
            continue
        changes = {key: planned.values[key] for key in _PRODUCT_FIELDS
                   if key in planned.values and planned.values[key] != getattr(current, key)}
        if changes:
            product_updates.append({"id": planned.id, **changes})
    catalog_bulk.update_products(product_updates, now)
    progress(1, 2)
    new_variants, variant_updates, touched = [], [], set()
    positions: dict[int, int] = {}
    for v in rows.variants.values():
        positions[v.product_id] = positions.get(v.product_id, 0) + 1
    for planned in plan.products:
        for v in planned.variants:
            values = {k: val for k, val in v.values.items() if val is not None}
            if v.id is None:
                position = positions.get(planned.id, 0)
                positions[planned.id] = position + 1
                new_variants.append({"product_id": planned.id, "sku": v.sku, "name": values.get("name", ""),
                                     "options": values.get("options", {}), "price": values["price"],
                                     "weight_grams": values["weight_grams"],
                                     "is_active": values.get("is_active", True), "position": position,
                                     "low_stock_threshold": values.get("low_stock_threshold", 5)})
                continue
            current = rows.variants[v.sku]
            changes = {k: val for k, val in values.items() if getattr(current, k) != val}
            if changes:
                variant_updates.append({"id": v.id, **changes})
                touched.add(planned.id)
    catalog_bulk.insert_variants(koperasi_id, new_variants)
    untouched = touched - {u["id"] for u in product_updates} - {p.id for p in new_products}
    catalog_bulk.update_variants(variant_updates, untouched, now)
    summary = {"rows": plan.row_count, "products_created": len(new_products),
               "products_updated": len(product_updates) + len(untouched), "variants_created": len(new_variants),
               "variants_updated": len(variant_updates)}
    audit(actor, "catalog.import", _("Impor %(n)s baris", n=plan.row_count), **summary)
    db.session.flush()
    progress(2, 2)
    return summary
