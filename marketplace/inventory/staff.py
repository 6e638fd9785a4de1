"""Stock actions taken by koperasi staff from the dashboard: adjustments, stock takes, low-stock thresholds and
warehouses. Each goes through ``services`` / ``warehouses`` (the only code that changes stock) and writes the
staff audit entry in the same transaction. Plain values in; services flush, the request commits."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.catalog.models import Variant
from marketplace.core.errors import ValidationError
from marketplace.core.numbers import MAX_STOCK
from marketplace.extensions import db
from marketplace.inventory import services as inventory
from marketplace.inventory import warehouses
from marketplace.inventory.models import MovementReason, Stock, Warehouse
from marketplace.koperasi.audit import audit
from marketplace.koperasi.models import Membership

# What staff choose when they adjust; the ledger keeps the inventory reason plus this label in the note.
ADJUST_REASONS = {
    "masuk": (_l("Barang masuk / hasil produksi"), MovementReason.ADJUSTMENT),
    "opname": (_l("Stok opname (hitung ulang)"), MovementReason.ADJUSTMENT),
    "rusak": (_l("Rusak atau kedaluwarsa"), MovementReason.ADJUSTMENT),
    "hilang": (_l("Hilang"), MovementReason.ADJUSTMENT),
    "retur": (_l("Retur pembeli kembali ke rak"), MovementReason.RETURN),
    "lainnya": (_l("Lainnya"), MovementReason.ADJUSTMENT),
}


def _on_hand(variant: Variant, warehouse: Warehouse) -> int:
    return db.session.scalar(select(Stock.quantity).where(
        Stock.variant_id == variant.id, Stock.warehouse_id == warehouse.id)) or 0


def adjust(actor: Membership, variant: Variant, warehouse: Warehouse, *, mode: str, quantity: int,
           reason: str, note: str = "") -> Stock:
    """``mode``: "tambah" adds units, "kurangi" removes them, "jadikan" sets the counted total."""
    if reason not in ADJUST_REASONS:
        raise ValidationError(_("Pilih alasan perubahan stok."), field="reason")
    if quantity < 0:
        raise ValidationError(_("Jumlah tidak boleh negatif."), field="quantity")
    if quantity > MAX_STOCK:
        raise ValidationError(_("Jumlah maksimal %(max)s.", max=MAX_STOCK), field="quantity")
    if mode != "jadikan" and quantity == 0:
        raise ValidationError(_("Jumlah harus lebih dari 0."), field="quantity")
    label, movement_reason = ADJUST_REASONS[reason]
    text = f"{label}: {note.strip()}" if note.strip() else str(label)
    before = _on_hand(variant, warehouse)
    if mode == "jadikan":
        stock = inventory.set_stock(variant, warehouse, quantity, reason=movement_reason, user_id=actor.user_id,
                                    note=text)
    elif mode in ("tambah", "kurangi"):
        delta = quantity if mode == "tambah" else -quantity
        if before + delta < 0:
            raise ValidationError(_("Stok di %(warehouse)s hanya %(n)s.", warehouse=warehouse.name, n=before),
                                  field="quantity")
        stock = inventory.adjust_stock(variant, warehouse, delta, reason=movement_reason, user_id=actor.user_id,
                                       note=text)
    else:
        raise ValidationError(_("Pilih cara mengubah stok."), field="mode")
    audit(actor, "stock.adjust", f"{variant.sku} @ {warehouse.name}", variant_id=variant.id,
          warehouse_id=warehouse.id, before=before, after=stock.quantity, reason=reason)
    return stock


def stock_take(actor: Membership, variant: Variant, warehouse: Warehouse, quantity: int, note: str = "") -> Stock:
    """The counted quantity replaces what the system had (never below what orders already hold)."""
    before = _on_hand(variant, warehouse)
    stock = inventory.set_stock(variant, warehouse, quantity, reason=MovementReason.ADJUSTMENT,
                                user_id=actor.user_id, note=note.strip() or _("Stok opname"))
    audit(actor, "stock.adjust", f"{variant.sku} @ {warehouse.name}", variant_id=variant.id,
          warehouse_id=warehouse.id, before=before, after=stock.quantity, reason="opname")
    return stock


def set_threshold(actor: Membership, variant: Variant, threshold: int) -> None:
    if threshold < 0:
        raise ValidationError(_("Batas stok menipis tidak boleh negatif."), field="threshold")
    if threshold > MAX_STOCK:
        raise ValidationError(_("Batas stok menipis maksimal %(max)s.", max=MAX_STOCK), field="threshold")
    old, variant.low_stock_threshold = variant.low_stock_threshold, threshold
    audit(actor, "stock.threshold", variant.sku, variant_id=variant.id, old=old, new=threshold)
    db.session.flush()


def add_warehouse(actor: Membership, *, name: str, region_code: str, address: str = "") -> Warehouse:
    warehouse = inventory.create_warehouse(actor.koperasi, name, region_code, address)
    audit(actor, "warehouse.create", warehouse.name, warehouse_id=warehouse.id)
    return warehouse


def edit_warehouse(actor: Membership, warehouse: Warehouse, *, name: str, region_code: str, address: str,
                   is_active: bool) -> Warehouse:
    warehouses.update_warehouse(warehouse, name=name, region_code=region_code, address=address, is_active=is_active)
    audit(actor, "warehouse.update", warehouse.name, warehouse_id=warehouse.id, active=warehouse.is_active)
    return warehouse
