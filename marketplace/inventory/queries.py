"""Read side of inventory: what a buyer can still buy. Used by the storefront, search, channels and the seller
dashboard. ``free_stock`` is the one formula; everything that shows or compares availability reads it."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, Integer, bindparam, case, cast, func, select
from sqlalchemy.sql import ColumnElement, Select, Subquery

from marketplace.catalog.models import Variant
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory.models import Reservation, Stock, StockMovement, Warehouse


def free_stock(columns: Callable[[ColumnElement[int]], tuple], now=None, exclude_token: str | None = None) -> Select:
    """The one availability formula. ``columns(free)`` chooses what to select, ``free`` being a stock row's
    available units: in an active warehouse, on hand − promised to orders − live checkout holds, never below
    zero; a variant's availability is the sum over its rows while the variant is active. The select covers the
    stock rows of active warehouses; callers add their condition and grouping (one flat query, which SQLite and
    PostgreSQL both plan well). ``now`` may be a bound parameter; ``exclude_token``: a checkout's own holds do
    not count against it."""
    held_query = (select(Reservation.stock_id, func.sum(Reservation.quantity).label("held"))
                  .where(Reservation.expires_at > (utcnow() if now is None else now)))
    if exclude_token:
        held_query = held_query.where(Reservation.checkout_token != exclude_token)
    held = held_query.group_by(Reservation.stock_id).subquery()
    free = Stock.quantity - Stock.quantity_allocated - func.coalesce(held.c.held, 0)
    return (
        select(*columns(case((free > 0, free), else_=0)))
        .select_from(Stock)
        .join(Warehouse, Warehouse.id == Stock.warehouse_id)
        .outerjoin(held, held.c.stock_id == Stock.id)
        .where(Warehouse.is_active.is_(True))
    )


def availability(condition: ColumnElement[bool], now: datetime | None = None,
                 exclude_token: str | None = None) -> Subquery:
    """``variant_id``, ``product_id``, ``available`` for the active variants matching ``condition`` (on
    ``Variant``) that have stock rows: ``free_stock`` summed per variant."""
    return (
        free_stock(lambda free: (Stock.variant_id.label("variant_id"), Variant.product_id.label("product_id"),
                                 cast(func.sum(free), Integer).label("available")), now, exclude_token)
        .join(Variant, Variant.id == Stock.variant_id)
        .where(condition, Variant.is_active.is_(True))
        .group_by(Stock.variant_id, Variant.product_id)
        .subquery()
    )


def available_in_koperasi(koperasi_id: int) -> Subquery:
    """``variant_id``, ``available`` for every variant with stock in the koperasi's warehouses (whether the
    variant is active is the caller's filter), to join to a variant list: the low-stock list. Grouped over the
    stock rows alone, so PostgreSQL hash-joins it even before the tables are analysed (with ``Variant`` joined
    inside, its row estimate fell to 1 and a nested loop took seconds)."""
    return (
        free_stock(lambda free: (Stock.variant_id.label("variant_id"), func.sum(free).label("available")))
        .where(Warehouse.koperasi_id == koperasi_id)
        .group_by(Stock.variant_id)
        .subquery()
    )


def available_by_variant(variant_ids: list[int], exclude_token: str | None = None) -> dict[int, int]:
    """Units a buyer can still buy per variant (0 for unknown or inactive variants, never negative)."""
    result = dict.fromkeys(variant_ids, 0)
    if variant_ids:
        free = availability(Variant.id.in_(variant_ids), exclude_token=exclude_token)
        for variant_id, available in db.session.execute(select(free.c.variant_id, free.c.available)):
            result[variant_id] = int(available)
    return result


def available_by_product(product_ids: list[int]) -> dict[int, int]:
    """Sum of available units over a product's active variants and warehouses."""
    result = dict.fromkeys(product_ids, 0)
    if product_ids:
        free = availability(Variant.product_id.in_(product_ids))
        for product_id, available in db.session.execute(
            select(free.c.product_id, func.sum(free.c.available)).group_by(free.c.product_id)
        ):
            result[product_id] = int(available)
    return result


def on_hand_by_warehouse(koperasi_id: int, warehouse_ids: list[int] | None = None
                         ) -> dict[tuple[int, int], tuple[int, int]]:
    """(variant id, warehouse id) → (on hand, promised to orders) for the koperasi's stock rows, in one query
    (the bulk file's stock columns)."""
    query = (select(Stock.variant_id, Stock.warehouse_id, Stock.quantity, Stock.quantity_allocated)
             .join(Warehouse, Warehouse.id == Stock.warehouse_id).where(Warehouse.koperasi_id == koperasi_id))
    if warehouse_ids is not None:
        query = query.where(Stock.warehouse_id.in_(warehouse_ids))
    return {(v, w): (q, a) for v, w, q, a in db.session.execute(query)}


_by_products = None


def available_of_products_statement() -> Select:
    """``product_id``, ``variant_id``, ``available`` for the products bound as ``product_ids`` (expanding) at
    ``now``: built once per process, so a page cache can run it on every response or fold it into its first
    statement."""
    global _by_products
    if _by_products is None:
        free = availability(Variant.product_id.in_(bindparam("product_ids", expanding=True)), bindparam("now"))
        _by_products = select(free.c.product_id, free.c.variant_id, free.c.available)
    return _by_products


def available_variants_of_products(product_ids: list[int], connection: Connection | None = None
                                   ) -> dict[int, dict[int, int]]:
    """Units a buyer can still buy, per product then per active variant that has stock: one query, for pages that
    splice live stock into a cached body on every response."""
    if not product_ids:
        return {}
    result: dict[int, dict[int, int]] = {}
    for product_id, variant_id, available in (connection or db.session.connection()).execute(
            available_of_products_statement(), {"product_ids": list(product_ids), "now": utcnow()}):
        result.setdefault(product_id, {})[variant_id] = int(available)
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
