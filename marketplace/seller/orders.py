"""The koperasi's order desk: tabs like Shopee's seller centre, search, packing, shipping and cancelling through
``orders.services`` (which moves stock through inventory and refunds through payments)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, case, cast, func, or_, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.checkout.models import Courier
from marketplace.core.errors import ValidationError
from marketplace.core.pagination import Page
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.models import Membership
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderStatus, OrderStatusChange
from marketplace.seller.services import audit

TABS = {
    "semua": (_l("Semua"), None),
    "belum-bayar": (_l("Belum bayar"), Order.status == OrderStatus.UNPAID),
    "perlu-dikemas": (_l("Perlu dikemas"), and_(Order.status == OrderStatus.PACKING, Order.packed_at.is_(None))),
    "siap-kirim": (_l("Siap dikirim"), and_(Order.status == OrderStatus.PACKING, Order.packed_at.is_not(None))),
    "dikirim": (_l("Dikirim"), Order.status == OrderStatus.SHIPPED),
    "selesai": (_l("Selesai"), Order.status == OrderStatus.COMPLETED),
    "batal": (_l("Dibatalkan"), Order.status.in_([OrderStatus.CANCELLED, OrderStatus.REFUND_PENDING,
                                                  OrderStatus.REFUNDED])),
}


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
    order_by = (Order.paid_at.asc(), Order.id) if oldest_first else (Order.created_at.desc(), Order.id.desc())
    items = db.session.scalars(query.options(selectinload(Order.lines)).order_by(*order_by)
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=list(items), page=page, per_page=per_page, total=total)


def order_of_koperasi(koperasi_id: int, number: str) -> Order:
    return order_services.order_for_koperasi(koperasi_id, number)


def mark_packed(actor: Membership, order: Order) -> Order:
    if order.status != OrderStatus.PACKING:
        raise ValidationError(_("Hanya pesanan yang sudah dibayar dan belum dikirim yang bisa ditandai dikemas."))
    if order.packed_at is None:
        order.packed_at = utcnow()
        db.session.add(OrderStatusChange(order=order, from_status=order.status, to_status=order.status,
                                         note=_("Paket sudah dikemas, siap dikirim"), user_id=actor.user_id))
        audit(actor, "order.packed", order.number)
    db.session.flush()
    return order


def ship(actor: Membership, order: Order, courier: str, tracking_number: str) -> Order:
    try:
        chosen = Courier(courier or order.courier)
    except ValueError:
        raise ValidationError(_("Pilih kurir."), field="courier") from None
    if chosen.value != order.courier:
        audit(actor, "order.courier", order.number, old=order.courier, new=chosen.value)
        order.courier = chosen.value
    order_services.ship(order, tracking_number, actor.user_id)
    if order.packed_at is None:
        order.packed_at = utcnow()
    audit(actor, "order.ship", order.number, courier=order.courier, resi=order.tracking_number)
    return order


def cancel(actor: Membership, order: Order, reason: str) -> Order:
    """Unpaid: cancelled, stock back. Paid: refunded in full through the gateway, stock back."""
    if not reason.strip():
        raise ValidationError(_("Alasan pembatalan wajib diisi."), field="reason")
    was = order.status
    order_services.cancel_by_seller(order, actor.user_id, reason)
    audit(actor, "order.cancel", order.number, reason=reason.strip()[:200], refunded=was == OrderStatus.PACKING)
    return order
