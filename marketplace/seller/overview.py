"""What the overview page shows, by role, in a fixed number of queries whatever the catalog size."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.catalog.models import Product
from marketplace.catalog.services import expiring_certifications
from marketplace.extensions import db
from marketplace.koperasi.models import Membership
from marketplace.orders.models import Order, OrderStatus
from marketplace.seller import reports
from marketplace.seller.access import can
from marketplace.seller.stock import low_stock


def product_counts(koperasi_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Product.status, func.count()).where(Product.koperasi_id == koperasi_id).group_by(Product.status)
    )
    return {status.value: n for status, n in rows}


def orders_to_pack(koperasi_id: int, limit: int = 5) -> tuple[int, list[Order]]:
    """Paid, not yet packed: the day's work, oldest payment first."""
    condition = (Order.koperasi_id == koperasi_id, Order.status == OrderStatus.PACKING, Order.packed_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(Order).where(*condition)) or 0
    orders = db.session.scalars(select(Order).where(*condition).options(selectinload(Order.lines))
                                .order_by(Order.paid_at, Order.id).limit(limit)).all()
    return total, list(orders)


def overview_for(membership: Membership) -> dict:
    koperasi_id = membership.koperasi_id
    data: dict = {"counts": product_counts(koperasi_id)}
    if can(membership, "products"):
        data["cert_alerts"] = expiring_certifications(koperasi_id)
        data["recent_products"] = list(db.session.scalars(
            select(Product).where(Product.koperasi_id == koperasi_id)
            .order_by(Product.updated_at.desc(), Product.id.desc()).limit(5)
        ))
    if can(membership, "orders"):
        data["to_pack_count"], data["to_pack"] = orders_to_pack(koperasi_id)
    if can(membership, "stock"):
        data["low_count"], data["low_items"] = low_stock(koperasi_id, limit=5)
    if can(membership, "reports"):
        series = reports.daily_sales(koperasi_id)
        data["bars"], data["chart_top"] = reports.chart_bars(series)
        data["sales_total"] = sum(d.revenue for d in series)
        data["orders_total"] = sum(d.orders for d in series)
        data["top_products"] = reports.top_products(koperasi_id)
    return data
