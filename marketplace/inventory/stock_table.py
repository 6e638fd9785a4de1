"""Stock as koperasi staff see it: the variant × warehouse table, one variant's line, and the low-stock list.
Availability comes from ``queries.availability``, the same formula the storefront and checkout use."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from marketplace.catalog.models import Product, ProductStatus, Variant
from marketplace.core.pagination import Page
from marketplace.extensions import db
from marketplace.inventory.models import Stock, Warehouse
from marketplace.inventory.queries import availability, available_by_variant


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
    for the low-stock list, which must compare every active variant with its threshold."""
    condition = [Variant.koperasi_id == koperasi_id, Product.status != ProductStatus.ARCHIVED]
    if q.strip():
        like = f"%{q.strip().lower()}%"
        condition.append(or_(func.lower(Product.name).like(like), func.lower(Variant.sku).like(like)))
    if low_only:
        return _warehouses(koperasi_id), _low_page(koperasi_id, condition, page, per_page)
    query = (select(Variant, Product.name).join(Product, Product.id == Variant.product_id).where(*condition)
             .order_by(Product.name, Product.id, Variant.position))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return _warehouses(koperasi_id), Page(items=_lines(rows), page=page, per_page=per_page, total=total)


def _low_page(koperasi_id: int, condition: list, page: int, per_page: int) -> Page:
    """The koperasi's availability comes from the formula's own grouped query, joined to nothing (joined to the
    variant list, PostgreSQL's plan hung on row estimates: seconds before the tables were analysed); the
    comparison with each threshold and the order (least available first) are done here, then only the page's
    rows are loaded."""
    free = availability(Warehouse.koperasi_id == koperasi_id)
    available = {variant_id: int(n) for variant_id, n in db.session.execute(select(free.c.variant_id,
                                                                                    free.c.available))}
    candidates = db.session.execute(
        select(Variant.id, Variant.low_stock_threshold, Product.name, Variant.position)
        .join(Product, Product.id == Variant.product_id).where(*condition, Variant.is_active.is_(True)))
    low = sorted((available.get(variant_id, 0), name.casefold(), position, variant_id)
                 for variant_id, threshold, name, position in candidates
                 if available.get(variant_id, 0) <= threshold)
    ids = [variant_id for *_key, variant_id in low[(page - 1) * per_page:page * per_page]]
    rows = {variant.id: (variant, name) for variant, name in db.session.execute(
        select(Variant, Product.name).join(Product, Product.id == Variant.product_id).where(Variant.id.in_(ids)))}
    return Page(items=_lines([rows[i] for i in ids], available), page=page, per_page=per_page, total=len(low))


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
