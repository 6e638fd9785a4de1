"""Figures for the programme dashboard and the public page. Aggregates only: counts and sums, never a buyer.

Orders from partner marketplaces and channel connections arrive with the channels domain (an ``Order.channel``
column and a channel-account model). These queries look for them on the models, so they report everything as the
OPOP channel with no connections today and split by channel once those land, without a change here."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, and_, case, func, literal, select

from marketplace.catalog.models import Certification, CertificationKind, Product
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi, Pesantren, VerificationStatus
from marketplace.opop.models import FlagshipMark
from marketplace.orders.models import Order, OrderStatus

FLAGSHIP_TARGET = 1000
FLAGSHIP_MILESTONES = {2019: 150, 2020: 200, 2021: 200, 2022: 200, 2023: 250, 2024: 1000}
PARTNERS = ("shopee", "tiktok", "blibli", "lazada")  # TikTok Shop serves Tokopedia shops since 2025
OWN_CHANNEL = "opop"
_NOT_SALES = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)


def _month(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _year(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return func.cast(func.extract("year", column), db.Integer)
    return func.cast(func.strftime("%Y", column), db.Integer)


def koperasi_by_region_status() -> list[dict]:
    """One row per regency/city with a count per verification status, busiest first."""
    rows = db.session.execute(select(Koperasi.region_code, Koperasi.status, func.count())
                              .group_by(Koperasi.region_code, Koperasi.status))
    table: dict[str, dict] = {}
    for region_code, status, count in rows:
        row = table.setdefault(region_code, {"region_code": region_code, **{s.value: 0 for s in VerificationStatus}})
        row[VerificationStatus(status).value] = count
    for row in table.values():
        row["total"] = sum(row[s.value] for s in VerificationStatus)
    return sorted(table.values(), key=lambda r: (-r["total"], r["region_code"]))


def status_totals() -> dict[str, int]:
    counts = dict(db.session.execute(select(Koperasi.status, func.count()).group_by(Koperasi.status)).all())
    return {s.value: counts.get(s, 0) for s in VerificationStatus}


def flagship_progress(today: date | None = None) -> list[dict]:
    """Flagship products standing at the end of each programme year (marked before, not unmarked by then), next to
    the milestone and the target; the current year counts what stands today."""
    today = today or date.today()
    marked = dict(db.session.execute(select(_year(FlagshipMark.marked_at), func.count())
                                      .group_by(_year(FlagshipMark.marked_at))).all())
    unmarked = dict(db.session.execute(select(_year(FlagshipMark.unmarked_at), func.count())
                                       .where(FlagshipMark.unmarked_at.is_not(None))
                                       .group_by(_year(FlagshipMark.unmarked_at))).all())
    first = min([2019, *marked])
    standing, rows = 0, []
    for year in range(first, today.year + 1):
        standing += marked.get(year, 0) - unmarked.get(year, 0)
        rows.append({"year": year, "flagship": standing, "milestone": FLAGSHIP_MILESTONES.get(year),
                     "target": FLAGSHIP_TARGET})
    return rows


def flagship_now() -> int:
    return db.session.scalar(select(func.count()).select_from(Product).where(Product.is_flagship.is_(True))) or 0


def _partner_order_model():
    """``orders.PartnerOrder`` (order_id, platform) once partner imports exist; None before."""
    from marketplace.orders import models as order_models

    model = getattr(order_models, "PartnerOrder", None)
    return model if model is not None and all(hasattr(model, n) for n in ("order_id", "platform")) else None


def _with_channel(stmt, partner):
    """Adds the order's channel: the partner platform of an imported order, else our own."""
    if partner is None:
        return stmt.add_columns(literal(OWN_CHANNEL)), literal(OWN_CHANNEL)
    channel = func.coalesce(func.lower(partner.platform), OWN_CHANNEL)
    return stmt.outerjoin(partner, partner.order_id == Order.id).add_columns(channel), channel


def sales_by_month(months: int = 12, today: date | None = None) -> list[dict]:
    """Paid orders and their value per month and channel (ours and imported), the last ``months`` months."""
    today = today or date.today()
    start = datetime(today.year, today.month, 1)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    month = _month(Order.paid_at)
    stmt, channel = _with_channel(select(month, func.count(), func.coalesce(func.sum(Order.total), 0)),
                                  _partner_order_model())
    rows = db.session.execute(stmt.where(Order.paid_at >= start, Order.status.not_in(_NOT_SALES))
                              .group_by(month, channel).order_by(month))
    return [{"month": m, "channel": c or OWN_CHANNEL, "orders": n, "sales": int(total)} for m, n, total, c in rows]


def month_labels(months: int = 12, today: date | None = None) -> list[str]:
    today = today or date.today()
    labels, cursor = [], datetime(today.year, today.month, 1)
    for _ in range(months):
        labels.append(cursor.strftime("%Y-%m"))
        cursor = (cursor - timedelta(days=1)).replace(day=1)
    return labels[::-1]


def sales_by_year() -> list[dict]:
    year = _year(Order.paid_at)
    rows = db.session.execute(select(year, func.count(), func.coalesce(func.sum(Order.total), 0))
                              .where(Order.paid_at.is_not(None), Order.status.not_in(_NOT_SALES))
                              .group_by(year).order_by(year))
    return [{"year": y, "orders": n, "sales": int(total)} for y, n, total in rows]


def _channel_account_model():
    """The channels domain's account model (a koperasi's connection to a platform), once it exists."""
    try:
        from marketplace.channels import models as channel_models
    except ImportError:
        return None
    model = getattr(channel_models, "ChannelAccount", None)
    return model if model is not None and all(hasattr(model, n) for n in ("koperasi_id", "platform")) else None


def channel_connections() -> list[dict]:
    """Share of verified koperasi connected to each partner marketplace."""
    verified = db.session.scalar(select(func.count()).select_from(Koperasi)
                                 .where(Koperasi.status == VerificationStatus.VERIFIED)) or 0
    counts: dict[str, int] = {}
    model = _channel_account_model()
    if model is not None:
        platform = func.lower(func.cast(model.platform, String))
        counts = dict(db.session.execute(
            select(platform, func.count(func.distinct(model.koperasi_id)))
            .join(Koperasi, Koperasi.id == model.koperasi_id)
            .where(Koperasi.status == VerificationStatus.VERIFIED).group_by(platform)).all())
    platforms = list(dict.fromkeys([*PARTNERS, *sorted(counts)]))
    return [{"platform": p, "connected": counts.get(p, 0), "verified": verified,
             "share": round(100 * counts.get(p, 0) / verified, 1) if verified else 0.0} for p in platforms]


@dataclass
class ExpiringCertificate:
    product_id: int
    product: str
    koperasi: str
    kind: str
    number: str
    valid_until: date
    days_left: int


def expiring_certificates(within_days: int = 60, limit: int = 500, today: date | None = None
                          ) -> list[ExpiringCertificate]:
    """Halal and PIRT certificates of verified koperasi's products that run out within ``within_days`` (or ran
    out in the last 90 days), soonest first: the team calls those koperasi before products leave the shop."""
    today = today or date.today()
    rows = db.session.execute(
        select(Product.id, Product.name, Koperasi.name, Certification.kind, Certification.number,
               Certification.valid_until)
        .join(Product, Product.id == Certification.product_id)
        .join(Koperasi, Koperasi.id == Product.koperasi_id)
        .where(Koperasi.status == VerificationStatus.VERIFIED,
               Certification.kind.in_([CertificationKind.HALAL, CertificationKind.PIRT]),
               and_(Certification.valid_until >= today - timedelta(days=90),
                    Certification.valid_until <= today + timedelta(days=within_days)))
        .order_by(Certification.valid_until, Product.id).limit(limit)
    )
    return [ExpiringCertificate(pid, name, kop, CertificationKind(kind).value, number, until, (until - today).days)
            for pid, name, kop, kind, number, until in rows]


def public_regions() -> list[dict]:
    """Verified koperasi and their pesantren per region, with names (organisations, not people)."""
    rows = db.session.execute(
        select(Koperasi.region_code, Koperasi.name, Koperasi.slug, Pesantren.name)
        .join(Pesantren, Pesantren.id == Koperasi.pesantren_id)
        .where(Koperasi.status == VerificationStatus.VERIFIED)
        .order_by(Koperasi.region_code, Koperasi.name))
    table: dict[str, dict] = {}
    for region_code, koperasi, slug, pesantren in rows:
        row = table.setdefault(region_code, {"region_code": region_code, "koperasi": [], "pesantren": set()})
        row["koperasi"].append({"name": koperasi, "slug": slug})
        row["pesantren"].add(pesantren)
    result = [{"region_code": r["region_code"], "koperasi": r["koperasi"], "koperasi_count": len(r["koperasi"]),
               "pesantren_count": len(r["pesantren"])} for r in table.values()]
    return sorted(result, key=lambda r: (-r["koperasi_count"], r["region_code"]))


def in_cohorts() -> list[dict]:
    from marketplace.opop.models import Application, Cohort

    verified = case((Koperasi.status == VerificationStatus.VERIFIED, 1), else_=0)
    rows = db.session.execute(
        select(Cohort.year, Cohort.name, func.count(Application.id), func.coalesce(func.sum(verified), 0))
        .outerjoin(Application, Application.cohort_id == Cohort.id)
        .outerjoin(Koperasi, Koperasi.id == Application.koperasi_id)
        .group_by(Cohort.year, Cohort.name).order_by(Cohort.year))
    return [{"year": y, "name": n, "members": c, "verified": int(v)} for y, n, c, v in rows]
