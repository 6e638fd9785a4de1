"""Setting many stock levels at once (the seller's bulk import): the same rules as ``services.set_stock`` —
existing rows locked in primary-key order, never below what is already promised to orders, one ledger row per
change, one ``stock.changed`` event per variant — with a fixed number of statements whatever the number of rows
(plain rows, not ORM objects: 10,000 levels must take seconds, not minutes)."""

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, update

from marketplace.core.errors import ValidationError
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory.errors import StockBelowAllocated
from marketplace.inventory.models import MovementReason, Stock, StockMovement, Warehouse
from marketplace.outbox import services as outbox

_CHUNK = 1000


def _lock_rows(variant_ids: list[int]) -> list:
    """Like ``services.lock_stocks`` (PostgreSQL: FOR UPDATE in id order; SQLite: a no-op UPDATE that takes the
    write lock first) but returning plain rows."""
    rows = []
    for start in range(0, len(variant_ids), _CHUNK):
        chunk = variant_ids[start:start + _CHUNK]
        query = (select(Stock.id, Stock.variant_id, Stock.warehouse_id, Stock.quantity, Stock.quantity_allocated)
                 .where(Stock.variant_id.in_(chunk)).order_by(Stock.id))
        if db.engine.dialect.name == "postgresql":
            query = query.with_for_update()
        else:
            db.session.execute(update(Stock).where(Stock.variant_id.in_(chunk)).values(quantity=Stock.quantity)
                               .execution_options(synchronize_session=False))
        rows.extend(db.session.execute(query).all())
    return rows


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
    existing = {(r.variant_id, r.warehouse_id): r for r in _lock_rows(sorted({v for v, _ in levels}))}
    now = utcnow()
    short = [key for key, quantity in levels.items() if key in existing and quantity < existing[key].quantity_allocated]
    if short:
        raise StockBelowAllocated(_(
            "Stok tidak bisa diturunkan di bawah jumlah yang sudah dipesan (%(n)s baris).", n=len(short)))
    updates, movements, changed_variants = [], [], set()
    for key, quantity in levels.items():
        row = existing.get(key)
        if row is not None and row.quantity != quantity:
            updates.append({"sid": row.id, "q": quantity})
            movements.append((row.id, key[0], quantity - row.quantity))
            changed_variants.add(key[0])
    # New rows are created already holding their count; the ledger row below explains it (0 → count).
    new = [{"variant_id": v, "warehouse_id": w, "quantity": q, "quantity_allocated": 0, "updated_at": now}
           for (v, w), q in levels.items() if (v, w) not in existing and q > 0]
    if new:
        db.session.execute(insert(Stock), new)
        created = {}
        new_variants = sorted({row["variant_id"] for row in new})
        for start in range(0, len(new_variants), _CHUNK):
            created.update({(v, w): sid for sid, v, w in db.session.execute(
                select(Stock.id, Stock.variant_id, Stock.warehouse_id)
                .where(Stock.variant_id.in_(new_variants[start:start + _CHUNK])))})
        for row in new:
            key = (row["variant_id"], row["warehouse_id"])
            movements.append((created[key], key[0], row["quantity"]))
            changed_variants.add(key[0])
    if updates:
        db.session.execute(
            update(Stock.__table__).where(Stock.__table__.c.id == bindparam("sid"))
            .values(quantity=bindparam("q"), updated_at=now), updates)
    if movements:
        db.session.execute(insert(StockMovement), [
            {"stock_id": sid, "variant_id": vid, "quantity_delta": delta, "allocated_delta": 0, "reason": reason,
             "reference": reference[:80], "note": note[:300], "user_id": user_id, "created_at": now}
            for sid, vid, delta in movements])
        outbox.record_many("stock.changed", [{"variant_id": v, "product_id": (product_of or {}).get(v)}
                                             for v in sorted(changed_variants)])
        db.session.expire_all()
    db.session.flush()
    return len(movements)
