"""A koperasi's sales figures for the dashboard overview: revenue and orders per day for 30 days (days of the one
configured timezone, Asia/Jakarta by default) and its top products."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from marketplace.catalog.models import Product, Variant
from marketplace.core.timeutil import local_date, local_day_start, utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderLine, OrderStatus

SOLD = (OrderStatus.PACKING, OrderStatus.SHIPPED, OrderStatus.COMPLETED)


@dataclass
class Day:
    day: date
    revenue: int
    orders: int


def _today(now: datetime | None = None) -> date:
    return local_date(now or utcnow())


def daily_sales(koperasi_id: int, days: int = 30, now: datetime | None = None) -> list[Day]:
    """Paid orders that were not cancelled or refunded, by the local day they were paid."""
    today = _today(now)
    first = today - timedelta(days=days - 1)
    since = local_day_start(first)
    result = {first + timedelta(days=i): Day(first + timedelta(days=i), 0, 0) for i in range(days)}
    rows = db.session.execute(
        select(Order.paid_at, Order.total)
        .where(Order.koperasi_id == koperasi_id, Order.status.in_(SOLD), Order.paid_at >= since)
    )
    for paid_at, total in rows:
        day = result.get(local_date(paid_at))
        if day is not None:
            day.revenue += total
            day.orders += 1
    return list(result.values())


def top_products(koperasi_id: int, days: int = 30, limit: int = 5, now: datetime | None = None) -> list[tuple]:
    since = (now or utcnow()) - timedelta(days=days)
    units = func.sum(OrderLine.quantity).label("units")
    return db.session.execute(
        select(Product.id, Product.name, units, func.sum(OrderLine.quantity * OrderLine.unit_price))
        .join(Order, Order.id == OrderLine.order_id)
        .join(Variant, Variant.id == OrderLine.variant_id)
        .join(Product, Product.id == Variant.product_id)
        .where(Order.koperasi_id == koperasi_id, Order.status.in_(SOLD), Order.paid_at >= since)
        .group_by(Product.id, Product.name).order_by(units.desc(), Product.id).limit(limit)
    ).all()
