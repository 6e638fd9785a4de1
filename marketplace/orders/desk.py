"""The koperasi's order desk: tabs like Shopee's seller centre, search, and the staff actions — pack, ship,
cancel — which go through ``services`` (stock through inventory, refunds through the gateway) and write the
staff audit entry in the same transaction."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, case, cast, func, or_, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.core.errors import ValidationError
from marketplace.core.pagination import Page
from marketplace.extensions import db
from marketplace.koperasi.audit import audit
from marketplace.koperasi.models import Membership
from marketplace.orders import services
from marketplace.orders.models import Order, OrderStatus, PartnerOrder

TABS = {
    "semua": (_l("Semua"), None),
    "belum-bayar": (_l("Belum bayar"), Order.status == OrderStatus.UNPAID),
    "perlu-dikemas": (_l("Perlu dikemas"), and_(Order.status == OrderStatus.PACKING, Order.packed_at.is_(None))),
    "siap-kirim": (_l("Siap dikirim"), and_(Order.status == OrderStatus.PACKING, Order.packed_at.is_not(None))),
    "dikirim": (_l("Dikirim"), Order.status == OrderStatus.SHIPPED),
    "selesai": (_l("Selesai"), Order.status == OrderStatus.COMPLETED),
    "perlu-dicek": (_l("Perlu dicek"), Order.partner.has(PartnerOrder.flag.is_not(None))),
    "batal": (_l("Dibatalkan"), Order.status.in_([OrderStatus.CANCELLED, OrderStatus.REFUND_PENDING,
                                                  OrderStatus.REFUNDED])),
}


def _waiting_since():
    """When the order became work for the koperasi: paid, or placed for cash on delivery (no ``paid_at`` yet)."""
    return func.coalesce(Order.paid_at, Order.created_at)


def tab_counts(koperasi_id: int) -> dict[str, int]:
    """Every tab's count in one query."""
    columns = [func.count().label("semua")] + [
        func.sum(case((condition, 1), else_=0)).label(key.replace("-", "_"))
        for key, (_label, condition) in TABS.items() if condition is not None
    ]
    row = db.session.execute(select(*columns).select_from(Order).where(Order.koperasi_id == koperasi_id)).one()
    return {key: int(getattr(row, key.replace("-", "_")) or 0) for key in TABS}


def list_orders(koperasi_id: int, *, tab: str = "semua", q: str = "", page: int = 1, per_page: int = 30) -> Page:
    query = select(Order).where(Order.koperasi_id == koperasi_id)
    condition = TABS.get(tab, TABS["semua"])[1]
    if condition is not None:
        query = query.where(condition)
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.outerjoin(User, User.id == Order.user_id).where(or_(
            func.lower(Order.number).like(like), func.lower(Order.email).like(like),
            func.lower(User.name).like(like), func.lower(cast(Order.address, String)).like(like),
        ))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    # Oldest first where work waits (packing, shipping), newest first elsewhere.
    oldest_first = tab in ("perlu-dikemas", "siap-kirim")
    order_by = (_waiting_since().asc(), Order.id) if oldest_first else (Order.created_at.desc(), Order.id.desc())
    items = db.session.scalars(query.options(selectinload(Order.lines), selectinload(Order.partner)).order_by(*order_by)
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), page=page, per_page=per_page, total=total)


def orders_to_pack(koperasi_id: int, limit: int = 5) -> tuple[int, list[Order]]:
    """Paid, not yet packed: the day's work, oldest payment first."""
    condition = (Order.koperasi_id == koperasi_id, Order.status == OrderStatus.PACKING, Order.packed_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(Order).where(*condition)) or 0
    orders = db.session.scalars(select(Order).where(*condition).options(selectinload(Order.lines))
                                .order_by(_waiting_since(), Order.id).limit(limit)).all()
    return total, list(orders)


def pack(actor: Membership, order: Order) -> Order:
    if services.mark_packed(order, actor.user_id):
        audit(actor, "order.packed", order.number)
    return order


def ship(actor: Membership, order: Order, courier: str, tracking_number: str) -> Order:
    """``courier`` "" keeps the buyer's choice."""
    old_courier = order.courier
    services.ship(order, tracking_number, actor.user_id, courier=courier)
    if order.courier != old_courier:
        audit(actor, "order.courier", order.number, old=old_courier, new=order.courier)
    audit(actor, "order.ship", order.number, courier=order.courier, resi=order.tracking_number)
    return order


def collect_cash(actor: Membership, order: Order) -> bool:
    """"Uang COD diterima": the courier handed over the cash of a cash-on-delivery order."""
    if services.collect_cash(order, actor.user_id):
        audit(actor, "order.cod_cash", order.number, amount=order.total)
        return True
    return False


def cancel(actor: Membership, order: Order, reason: str) -> Order:
    """Unpaid: cancelled, stock back. Paid: refunded in full through the gateway, stock back."""
    if not reason.strip():
        raise ValidationError(_("Alasan pembatalan wajib diisi."), field="reason")
    services.cancel_by_seller(order, actor.user_id, reason)
    audit(actor, "order.cancel", order.number, reason=reason.strip()[:200],
          refunded=order.status == OrderStatus.REFUND_PENDING)
    return order
