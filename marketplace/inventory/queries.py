"""Read side of inventory: what a buyer can still buy. Used by the storefront, search and seller dashboard."""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import bindparam, func, select

from marketplace.catalog.models import Variant
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory.models import Reservation, Stock, StockMovement, Warehouse


def _available_rows(condition, now: datetime, exclude_token: str | None = None):
    for variant_id, product_id, quantity, allocated, held in db.session.execute(
            _available_query(condition, now, exclude_token)):
        yield variant_id, product_id, max(0, quantity - allocated - int(held))


def _available_query(condition, now, exclude_token: str | None):
    reserved_q = select(Reservation.stock_id, func.sum(Reservation.quantity).label("held")).where(
        Reservation.expires_at > now
    )
    if exclude_token:
        reserved_q = reserved_q.where(Reservation.checkout_token != exclude_token)
    reserved = reserved_q.group_by(Reservation.stock_id).subquery()
    query = (
        select(Variant.id, Variant.product_id, Stock.quantity, Stock.quantity_allocated,
               func.coalesce(reserved.c.held, 0))
        .join(Stock, Stock.variant_id == Variant.id)
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .outerjoin(reserved, reserved.c.stock_id == Stock.id)
        .where(condition, Variant.is_active.is_(True), Warehouse.is_active.is_(True))
    )
    return query


def available_by_variant(variant_ids: list[int], exclude_token: str | None = None) -> dict[int, int]:
    """Units a buyer can still buy per variant (0 for unknown or inactive variants, never negative).
    ``exclude_token``: a checkout's own holds do not count against it."""
    result = dict.fromkeys(variant_ids, 0)
    if variant_ids:
        for variant_id, _product_id, available in _available_rows(Variant.id.in_(variant_ids), utcnow(),
                                                                   exclude_token):
            result[variant_id] += available
    return result


def available_by_product(product_ids: list[int]) -> dict[int, int]:
    """Sum of available units over a product's active variants and warehouses."""
    result: dict[int, int] = defaultdict(int)
    for product_id in product_ids:
        result[product_id] = 0
    if product_ids:
        for _variant_id, product_id, available in _available_rows(Variant.product_id.in_(product_ids), utcnow()):
            result[product_id] += available
    return dict(result)


_by_products = None


def available_variants_of_products(product_ids: list[int]) -> dict[int, dict[int, int]]:
    """Units a buyer can still buy, per product then per active variant that has stock: one query, for pages that
    splice live stock into a cached body on every response (so the statement is built once)."""
    global _by_products
    if not product_ids:
        return {}
    if _by_products is None:
        _by_products = _available_query(Variant.product_id.in_(bindparam("product_ids", expanding=True)),
                                         bindparam("now"), None)
    rows = db.session.connection().execute(_by_products, {"product_ids": list(product_ids), "now": utcnow()})
    result: dict[int, dict[int, int]] = {}
    for variant_id, product_id, quantity, allocated, held in rows:
        on_hand = result.setdefault(product_id, {})
        on_hand[variant_id] = on_hand.get(variant_id, 0) + max(0, quantity - allocated - int(held))
    return result


def ledger_mismatches() -> list[int]:
    """Stock rows whose ledger does not add up to their quantities (should always be empty)."""
    sums = (
        select(StockMovement.stock_id, func.sum(StockMovement.quantity_delta).label("q"),
               func.sum(StockMovement.allocated_delta).label("a"))
        .group_by(StockMovement.stock_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Stock.id).outerjoin(sums, sums.c.stock_id == Stock.id).where(
            (func.coalesce(sums.c.q, 0) != Stock.quantity) | (func.coalesce(sums.c.a, 0) != Stock.quantity_allocated)
        )
    )
    return [r[0] for r in rows]


def stock_rows_of_koperasi(koperasi_id: int) -> list[Stock]:
    return list(db.session.scalars(
        select(Stock).join(Warehouse).where(Warehouse.koperasi_id == koperasi_id).order_by(Stock.variant_id, Stock.id)
    ))
