"""What the overview page shows, by role, in a fixed number of queries whatever the catalog size. The figures
come from the domains; this module only picks them by role and draws the sales chart."""

from dataclasses import dataclass

from marketplace.catalog import staff as catalog_staff
from marketplace.catalog.services import expiring_certifications
from marketplace.inventory.stock_table import low_stock
from marketplace.koperasi.models import Membership
from marketplace.koperasi.roles import can
from marketplace.orders import reports
from marketplace.orders.desk import orders_to_pack
from marketplace.orders.reports import Day


def overview_for(membership: Membership) -> dict:
    koperasi_id = membership.koperasi_id
    data: dict = {"counts": catalog_staff.product_counts(koperasi_id)}
    if can(membership, "products"):
        data["cert_alerts"] = expiring_certifications(koperasi_id)
        data["recent_products"] = catalog_staff.recently_changed(koperasi_id)
    if can(membership, "orders"):
        data["to_pack_count"], data["to_pack"] = orders_to_pack(koperasi_id)
    if can(membership, "stock"):
        data["low_count"], data["low_items"] = low_stock(koperasi_id, limit=5)
    if can(membership, "reports"):
        series = reports.daily_sales(koperasi_id)
        data["bars"], data["chart_top"] = chart_bars(series)
        data["sales_total"] = sum(d.revenue for d in series)
        data["orders_total"] = sum(d.orders for d in series)
        data["top_products"] = reports.top_products(koperasi_id)
    return data


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: Day


def chart_bars(series: list[Day], width: int = 600, height: int = 160) -> tuple[list[Bar], int]:
    """Bar geometry for an inline SVG (no chart library, no CDN); returns the bars and the scale's top (0 when
    nothing sold). The SVG only draws bars and is stretched to a fixed CSS height; its labels are HTML beside it,
    so they keep the page's text size on a phone and on a wide desktop alike."""
    top = max((d.revenue for d in series), default=0)
    slot = width / max(1, len(series))
    bars = []
    for i, day in enumerate(series):
        h = round(height * day.revenue / (top or 1), 1)
        bars.append(Bar(x=round(i * slot + slot * 0.15, 1), y=round(height - h, 1), width=round(slot * 0.7, 1),
                        height=h, day=day))
    return bars, top
