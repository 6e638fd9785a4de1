"""One variant's stock ledger as staff read it: every movement, newest first, with the balance it left."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.catalog.models import Variant
from marketplace.core.pagination import Page
from marketplace.extensions import db
from marketplace.inventory.models import MovementReason, Stock, StockMovement, Warehouse

MOVEMENT_LABELS = {
    MovementReason.INITIAL: _l("Stok awal"), MovementReason.ADJUSTMENT: _l("Penyesuaian"),
    MovementReason.IMPORT: _l("Impor berkas"), MovementReason.SALE: _l("Dipesan"),
    MovementReason.FULFILMENT: _l("Dikirim"), MovementReason.CANCEL: _l("Pesanan batal"),
    MovementReason.RETURN: _l("Retur"), MovementReason.PARTNER_ORDER: _l("Pesanan marketplace mitra"),
}


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
    """Newest first, each row with the warehouse's on-hand count right after it (worked back from the current
    count, which the ledger explains: invariant I2)."""
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
