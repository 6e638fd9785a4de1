"""Setting many stock levels at once (the seller's bulk import): the same rules as ``services.set_stock`` —
rows locked in primary-key order, never below what is already promised to orders, one ledger row per change, one
``stock.changed`` event per variant — but with a fixed number of statements whatever the number of rows."""

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from marketplace.core.errors import ValidationError
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory.errors import StockBelowAllocated
from marketplace.inventory.models import MovementReason, Stock, StockMovement, Warehouse
from marketplace.inventory.services import lock_stocks
from marketplace.outbox import services as outbox


def set_stock_levels(
    koperasi_id: int, levels: dict[tuple[int, int], int], *, reason: MovementReason = MovementReason.IMPORT,
    user_id: int | None = None, reference: str = "", note: str = "", product_of: dict[int, int] | None = None,
) -> int:
    """``levels``: (variant id, warehouse id) → counted quantity. Variants and warehouses must belong to the
    koperasi (the caller resolved them within it). Returns how many stock rows changed."""
    if not levels:
        return 0
    warehouse_ids = {w for _, w in levels}
    owned = set(db.session.scalars(
        select(Warehouse.id).where(Warehouse.koperasi_id == koperasi_id, Warehouse.id.in_(warehouse_ids))
    ))
    if owned != warehouse_ids:
        raise ValidationError(_("Gudang bukan milik koperasi ini."))
    variant_ids = sorted({v for v, _ in levels})
    existing = {}
    for start in range(0, len(variant_ids), 1000):
        for stock in lock_stocks(variant_ids=variant_ids[start:start + 1000]):
            existing[(stock.variant_id, stock.warehouse_id)] = stock
    missing = [key for key in levels if key not in existing and levels[key] > 0]
    if missing:
        now = utcnow()
        db.session.execute(insert(Stock), [
            {"variant_id": v, "warehouse_id": w, "quantity": 0, "quantity_allocated": 0, "updated_at": now}
            for v, w in missing
        ])
        for start in range(0, len(missing), 1000):
            chunk_variants = sorted({v for v, _ in missing[start:start + 1000]})
            for stock in lock_stocks(variant_ids=chunk_variants):
                existing[(stock.variant_id, stock.warehouse_id)] = stock
    updates, movements, changed_variants = [], [], set()
    short = []
    for key, quantity in levels.items():
        stock = existing.get(key)
        if stock is None or stock.quantity == quantity:
            continue
        if quantity < stock.quantity_allocated:
            short.append((key, quantity, stock.quantity_allocated))
            continue
        updates.append({"id": stock.id, "quantity": quantity, "updated_at": utcnow()})
        movements.append({"stock_id": stock.id, "variant_id": stock.variant_id,
                          "quantity_delta": quantity - stock.quantity, "allocated_delta": 0, "reason": reason,
                          "reference": reference[:80], "note": note[:300], "user_id": user_id,
                          "created_at": utcnow()})
        changed_variants.add(stock.variant_id)
    if short:
        raise StockBelowAllocated(_(
            "Stok tidak bisa diturunkan di bawah jumlah yang sudah dipesan (%(n)s baris).", n=len(short)))
    if updates:
        db.session.execute(update(Stock), updates)
        db.session.execute(insert(StockMovement), movements)
        for variant_id in sorted(changed_variants):
            outbox.record("stock.changed", variant_id=variant_id,
                          product_id=(product_of or {}).get(variant_id))
        db.session.expire_all()
    db.session.flush()
    return len(updates)
