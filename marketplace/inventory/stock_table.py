"""Stock as koperasi staff see it: the variant × warehouse table, one variant's line, and the low-stock list.
Availability comes from ``queries.free_stock``, the same formula the storefront and checkout use."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from marketplace.catalog.models import Product, ProductStatus, Variant
from marketplace.core.pagination import Page
from marketplace.extensions import db
from marketplace.inventory.models import Stock, Warehouse
from marketplace.inventory.queries import available_by_variant, available_in_koperasi


@dataclass
class StockLine:
    variant: Variant
    product_name: str
    cells: dict[int, Stock]  # warehouse id -> stock row
    available: int

    @property
    def is_low(self) -> bool:
        return self.available <= self.variant.low_stock_threshold


def _warehouses(koperasi_id: int) -> list[Warehouse]:
    return list(db.session.scalars(
        select(Warehouse).where(Warehouse.koperasi_id == koperasi_id).order_by(Warehouse.id)))


def stock_table(koperasi_id: int, *, q: str = "", low_only: bool = False, page: int = 1,
                per_page: int = 50) -> tuple[list[Warehouse], Page]:
    """One page of variants with their stock per warehouse. Availability is summed for the page only, except
    for the low-stock list, which must compare every variant with its threshold (one grouped query)."""
    query = (
        select(Variant, Product.name)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.koperasi_id == koperasi_id, Product.status != ProductStatus.ARCHIVED)
    )
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(Product.name).like(like), func.lower(Variant.sku).like(like)))
    if low_only:
        available = available_in_koperasi(koperasi_id)
        total_available = func.coalesce(available.c.available, 0)
        query = (query.outerjoin(available, available.c.variant_id == Variant.id)
                 .where(Variant.is_active.is_(True), total_available <= Variant.low_stock_threshold)
                 .order_by(total_available, Product.name, Variant.position))
    else:
        query = query.order_by(Product.name, Product.id, Variant.position)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return _warehouses(koperasi_id), Page(items=_lines(rows), page=page, per_page=per_page, total=total)


def _lines(rows, available: dict[int, int] | None = None) -> list[StockLine]:
    ids = [variant.id for variant, _name in rows]
    stocks: dict[int, dict[int, Stock]] = {}
    if ids:
        for stock in db.session.scalars(select(Stock).where(Stock.variant_id.in_(ids))):
            stocks.setdefault(stock.variant_id, {})[stock.warehouse_id] = stock
    if available is None:
        available = available_by_variant(ids)
    return [StockLine(variant, name, stocks.get(variant.id, {}), available.get(variant.id, 0))
            for variant, name in rows]


def stock_line(variant: Variant) -> tuple[list[Warehouse], StockLine]:
    cells = {s.warehouse_id: s for s in db.session.scalars(select(Stock).where(Stock.variant_id == variant.id))}
    return _warehouses(variant.koperasi_id), StockLine(variant, variant.product.name, cells,
                                                       available_by_variant([variant.id])[variant.id])


def low_stock(koperasi_id: int, limit: int = 10) -> tuple[int, list[StockLine]]:
    _, page = stock_table(koperasi_id, low_only=True, per_page=limit)
    return page.total, page.items
