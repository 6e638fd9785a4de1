"""Stock as staff see it: the variant × warehouse table, low stock, one variant's ledger, and adjustments that go
through ``inventory.services`` (the only code that changes stock) with the audit entry in the same transaction."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select

from marketplace.catalog.models import Product, ProductStatus, Variant
from marketplace.core.errors import NotFound, ValidationError
from marketplace.core.pagination import Page
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory import services as inventory
from marketplace.inventory.models import MovementReason, Reservation, Stock, StockMovement, Warehouse
from marketplace.inventory.queries import available_by_variant
from marketplace.koperasi.models import Membership
from marketplace.seller.services import audit

# What staff choose when they adjust; the ledger keeps the inventory reason plus this label in the note.
ADJUST_REASONS = {
    "masuk": (_l("Barang masuk / hasil produksi"), MovementReason.ADJUSTMENT),
    "opname": (_l("Stok opname (hitung ulang)"), MovementReason.ADJUSTMENT),
    "rusak": (_l("Rusak atau kedaluwarsa"), MovementReason.ADJUSTMENT),
    "hilang": (_l("Hilang"), MovementReason.ADJUSTMENT),
    "retur": (_l("Retur pembeli kembali ke rak"), MovementReason.RETURN),
    "lainnya": (_l("Lainnya"), MovementReason.ADJUSTMENT),
}
MOVEMENT_LABELS = {
    MovementReason.INITIAL: _l("Stok awal"), MovementReason.ADJUSTMENT: _l("Penyesuaian"),
    MovementReason.IMPORT: _l("Impor berkas"), MovementReason.SALE: _l("Dipesan"),
    MovementReason.FULFILMENT: _l("Dikirim"), MovementReason.CANCEL: _l("Pesanan batal"),
    MovementReason.RETURN: _l("Retur"), MovementReason.PARTNER_ORDER: _l("Pesanan marketplace mitra"),
}


@dataclass
class StockLine:
    variant: Variant
    product_name: str
    cells: dict[int, Stock]  # warehouse id -> stock row
    available: int

    @property
    def is_low(self) -> bool:
        return self.available <= self.variant.low_stock_threshold


def variant_of_koperasi(koperasi_id: int, variant_id: int) -> Variant:
    variant = db.session.scalar(select(Variant).where(Variant.id == variant_id, Variant.koperasi_id == koperasi_id))
    if variant is None:
        raise NotFound(_("Varian tidak ditemukan."))
    return variant


def _available_query(koperasi_id: int):
    """Available units per variant of the koperasi: on hand − promised − live holds, in active warehouses."""
    held = (
        select(Reservation.stock_id, func.sum(Reservation.quantity).label("held"))
        .where(Reservation.expires_at > utcnow()).group_by(Reservation.stock_id).subquery()
    )
    per_stock = (
        select(Stock.variant_id,
               (Stock.quantity - Stock.quantity_allocated - func.coalesce(held.c.held, 0)).label("free"))
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .outerjoin(held, held.c.stock_id == Stock.id)
        .where(Warehouse.koperasi_id == koperasi_id, Warehouse.is_active.is_(True))
        .subquery()
    )
    free = per_stock.c.free
    return (
        select(per_stock.c.variant_id, func.sum(case((free > 0, free), else_=0)).label("available"))
        .group_by(per_stock.c.variant_id).subquery()
    )


def stock_table(koperasi_id: int, *, q: str = "", low_only: bool = False, page: int = 1,
                per_page: int = 50) -> tuple[list[Warehouse], Page]:
    """One page of variants with their stock per warehouse. Availability is summed for the page only, except
    for the low-stock list, which must compare every variant with its threshold (one grouped query)."""
    warehouses = list(db.session.scalars(
        select(Warehouse).where(Warehouse.koperasi_id == koperasi_id).order_by(Warehouse.id)))
    query = (
        select(Variant, Product.name)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.koperasi_id == koperasi_id, Product.status != ProductStatus.ARCHIVED)
    )
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(Product.name).like(like), func.lower(Variant.sku).like(like)))
    if low_only:
        available = _available_query(koperasi_id)
        total_available = func.coalesce(available.c.available, 0)
        query = (query.outerjoin(available, available.c.variant_id == Variant.id)
                 .where(Variant.is_active.is_(True), total_available <= Variant.low_stock_threshold)
                 .order_by(total_available, Product.name, Variant.position))
    else:
        query = query.order_by(Product.name, Product.id, Variant.position)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    ids = [variant.id for variant, _name in rows]
    stocks: dict[int, dict[int, Stock]] = {}
    if ids:
        for stock in db.session.scalars(select(Stock).where(Stock.variant_id.in_(ids))):
            stocks.setdefault(stock.variant_id, {})[stock.warehouse_id] = stock
    available_now = available_by_variant(ids)
    lines = [StockLine(variant, name, stocks.get(variant.id, {}), available_now.get(variant.id, 0))
             for variant, name in rows]
    return warehouses, Page(items=lines, page=page, per_page=per_page, total=total)


def stock_line(variant: Variant) -> tuple[list[Warehouse], StockLine]:
    warehouses = list(db.session.scalars(
        select(Warehouse).where(Warehouse.koperasi_id == variant.koperasi_id).order_by(Warehouse.id)))
    cells = {s.warehouse_id: s for s in db.session.scalars(select(Stock).where(Stock.variant_id == variant.id))}
    return warehouses, StockLine(variant, variant.product.name, cells,
                                 available_by_variant([variant.id])[variant.id])


def low_stock(koperasi_id: int, limit: int = 10) -> tuple[int, list[StockLine]]:
    _, page = stock_table(koperasi_id, low_only=True, per_page=limit)
    return page.total, page.items


@dataclass
class LedgerRow:
    movement: StockMovement
    warehouse_name: str
    user_name: str
    balance_after: int

    @property
    def label(self) -> str:
        return str(MOVEMENT_LABELS.get(self.movement.reason, self.movement.reason))


def variant_ledger(variant: Variant, page: int = 1, per_page: int = 50) -> Page:
    """Newest first, each row with the warehouse's on-hand count right after it."""
    from marketplace.accounts.models import User

    stocks = {s.id: s for s in db.session.scalars(select(Stock).where(Stock.variant_id == variant.id))}
    query = select(StockMovement).where(StockMovement.variant_id == variant.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    movements = list(db.session.scalars(
        query.order_by(StockMovement.id.desc()).limit(per_page).offset((page - 1) * per_page)))
    balance = {stock_id: stock.quantity for stock_id, stock in stocks.items()}
    if movements:
        newer = db.session.execute(
            select(StockMovement.stock_id, func.sum(StockMovement.quantity_delta))
            .where(StockMovement.variant_id == variant.id, StockMovement.id > movements[0].id)
            .group_by(StockMovement.stock_id))
        for stock_id, delta in newer:
            balance[stock_id] = balance.get(stock_id, 0) - int(delta)
    warehouses = dict(db.session.execute(select(Warehouse.id, Warehouse.name).where(
        Warehouse.id.in_({s.warehouse_id for s in stocks.values()}))).all())
    users = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_({m.user_id for m in movements if m.user_id}))).all())
    rows = []
    for movement in movements:
        stock = stocks.get(movement.stock_id)
        rows.append(LedgerRow(movement, warehouses.get(stock.warehouse_id, "") if stock else "",
                              users.get(movement.user_id, _("sistem")), balance.get(movement.stock_id, 0)))
        balance[movement.stock_id] = balance.get(movement.stock_id, 0) - movement.quantity_delta
    return Page(items=rows, page=page, per_page=per_page, total=total)


def adjust(actor: Membership, variant: Variant, warehouse: Warehouse, *, mode: str, quantity: int,
           reason: str, note: str = "") -> Stock:
    """``mode``: "tambah" adds units, "kurangi" removes them, "jadikan" sets the counted total."""
    if reason not in ADJUST_REASONS:
        raise ValidationError(_("Pilih alasan perubahan stok."), field="reason")
    if quantity < 0:
        raise ValidationError(_("Jumlah tidak boleh negatif."), field="quantity")
    if mode != "jadikan" and quantity == 0:
        raise ValidationError(_("Jumlah harus lebih dari 0."), field="quantity")
    label, movement_reason = ADJUST_REASONS[reason]
    text = f"{label}: {note.strip()}" if note.strip() else str(label)
    before = db.session.scalar(select(Stock.quantity).where(
        Stock.variant_id == variant.id, Stock.warehouse_id == warehouse.id)) or 0
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


def set_threshold(actor: Membership, variant: Variant, threshold: int) -> None:
    if threshold < 0:
        raise ValidationError(_("Batas stok menipis tidak boleh negatif."), field="threshold")
    old, variant.low_stock_threshold = variant.low_stock_threshold, threshold
    audit(actor, "stock.threshold", variant.sku, variant_id=variant.id, old=old, new=threshold)
    db.session.flush()
