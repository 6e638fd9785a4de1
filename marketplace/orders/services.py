"""Order life: belum bayar → dikemas (paid) → dikirim (courier + resi) → selesai; dibatalkan before payment or
by expiry; dana dikembalikan when a paid order is cancelled before shipping. Stock moves only through inventory."""

import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.core.errors import NotFound, ValidationError
from marketplace.core.locking import lock_rows
from marketplace.core.pagination import Page
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory import services as inventory
from marketplace.orders.models import Order, OrderStatus, OrderStatusChange
from marketplace.outbox import services as outbox

ALLOWED = {
    OrderStatus.UNPAID: {OrderStatus.PACKING, OrderStatus.CANCELLED},
    OrderStatus.PACKING: {OrderStatus.SHIPPED, OrderStatus.REFUND_PENDING},
    OrderStatus.SHIPPED: {OrderStatus.COMPLETED},
    OrderStatus.COMPLETED: set(),
    OrderStatus.CANCELLED: {OrderStatus.REFUND_PENDING},  # only when a payment arrives after the order expired
    OrderStatus.REFUND_PENDING: {OrderStatus.REFUNDED},
    OrderStatus.REFUNDED: set(),
}


class InvalidTransition(ValidationError):
    code = "invalid_transition"


def record_created(order: Order) -> None:
    db.session.add(OrderStatusChange(order=order, from_status=None, to_status=OrderStatus.UNPAID,
                                     note=_("Pesanan dibuat")))


def _transition(order: Order, to: OrderStatus, note: str = "", user_id: int | None = None) -> None:
    if to not in ALLOWED[order.status]:
        raise InvalidTransition(_("Pesanan %(number)s berstatus %(status)s dan tidak bisa diubah menjadi %(to)s.",
                                  number=order.number, status=order.status_label,
                                  to=str(_status_label(to))))
    db.session.add(OrderStatusChange(order=order, from_status=order.status, to_status=to, note=note[:300],
                                     user_id=user_id))
    order.status = to
    outbox.record("order.status_changed", order_id=order.id, status=to.value)


def _status_label(status: OrderStatus) -> str:
    from marketplace.orders.models import STATUS_LABELS

    return str(STATUS_LABELS[status])


def mark_paid(order: Order, now: datetime | None = None) -> bool:
    """Payment confirmed (webhook or server-side retrieve). False if the order was no longer waiting for it."""
    if order.status != OrderStatus.UNPAID:
        return False
    _transition(order, OrderStatus.PACKING, _("Pembayaran diterima"))
    order.paid_at = now or utcnow()
    outbox.record("order.paid", order_id=order.id)
    return True


def cancel_unpaid(order: Order, note: str, user_id: int | None = None) -> None:
    """Cancels an order nobody paid for and gives its stock back."""
    _transition(order, OrderStatus.CANCELLED, note, user_id)
    inventory.deallocate_lines([line.id for line in order.lines], reference=order.number)
    db.session.flush()


def _locked(order: Order) -> Order:
    """The order re-read under its row lock: a payment, an expiry and a click may arrive at the same moment."""
    return lock_rows(Order, [order.id])[0]


def cancel_by_buyer(order: Order, user_id: int) -> Order:
    order = _locked(order)
    if order.status != OrderStatus.UNPAID:
        raise InvalidTransition(_("Pesanan yang sudah dibayar hanya bisa dibatalkan oleh penjual."))
    cancel_unpaid(order, _("Dibatalkan pembeli"), user_id)
    return order


def request_refund(order: Order, note: str, user_id: int | None = None) -> Order:
    """A paid order cancelled before shipping (or paid after its deadline cancelled it): the stock goes back now,
    the money after commit. ``order.refund_requested`` tells the payments domain, whose task calls the gateway
    with no row locked and then calls ``mark_refunded``."""
    was_cancelled = order.status == OrderStatus.CANCELLED
    _transition(order, OrderStatus.REFUND_PENDING, note, user_id)
    if not was_cancelled:  # a cancelled order gave its stock back already
        inventory.deallocate_lines([line.id for line in order.lines], reference=order.number)
    outbox.record("order.refund_requested", order_id=order.id, amount=order.total)
    db.session.flush()
    return order


def refuse_if_partner_managed(order: Order) -> None:
    """An imported order's status belongs to its marketplace: changed there, mirrored here."""
    if order.partner is not None:
        from marketplace.orders.partner import channel_name

        raise InvalidTransition(_("Pesanan ini dari %(channel)s: ubah statusnya di %(channel)s, perubahannya akan "
                                  "tercermin di sini.", channel=channel_name(order.partner.platform)))


def mark_refunded(order: Order) -> bool:
    """The gateway returned the money. False if the order was not waiting for it (a retried task)."""
    order = _locked(order)
    if order.status != OrderStatus.REFUND_PENDING:
        return False
    _transition(order, OrderStatus.REFUNDED, _("Dana dikembalikan ke pembeli"))
    db.session.flush()
    return True


def cancel_by_seller(order: Order, user_id: int, reason: str = "") -> Order:
    order = _locked(order)
    refuse_if_partner_managed(order)
    note = reason.strip() or _("Dibatalkan penjual")
    if order.status == OrderStatus.UNPAID:
        cancel_unpaid(order, note, user_id)
    elif order.status == OrderStatus.PACKING:
        request_refund(order, note, user_id)
    else:
        raise InvalidTransition(_("Pesanan yang sudah dikirim tidak bisa dibatalkan."))
    return order


def mark_packed(order: Order, user_id: int | None = None) -> bool:
    """The koperasi packed the parcel. The buyer still sees "dikemas"; the order desk moves it to "siap dikirim".
    False if it was already packed (a second click changes nothing)."""
    order = _locked(order)
    if order.status != OrderStatus.PACKING:
        raise InvalidTransition(_("Hanya pesanan yang sudah dibayar dan belum dikirim yang bisa ditandai dikemas."))
    if order.packed_at is not None:
        return False
    order.packed_at = utcnow()
    db.session.add(OrderStatusChange(order=order, from_status=order.status, to_status=order.status,
                                     note=_("Paket sudah dikemas, siap dikirim"), user_id=user_id))
    db.session.flush()
    return True


def ship(order: Order, tracking_number: str, user_id: int | None = None, courier: str = "") -> Order:
    """Handed to the courier with its resi. ``courier``: the code of the one actually used, if the koperasi
    changed the buyer's choice (checked by the caller against checkout's couriers; "" keeps the buyer's)."""
    chosen = courier or order.courier
    order = _locked(order)
    refuse_if_partner_managed(order)
    tracking_number = tracking_number.strip().upper()
    if not re.fullmatch(r"[A-Z0-9-]{8,40}", tracking_number):
        raise ValidationError(_("Nomor resi harus 8–40 huruf/angka."), field="tracking_number")
    note = _("Dikirim dengan resi %(resi)s", resi=tracking_number)
    if chosen != order.courier:  # said to the buyer, not done silently: their line would just change its label
        note = _("Dikirim dengan resi %(resi)s. Kurir diganti oleh penjual (pilihan Anda tidak dipakai).",
                 resi=tracking_number)
    _transition(order, OrderStatus.SHIPPED, note, user_id)
    order.courier, order.tracking_number = chosen, tracking_number
    if order.packed_at is None:
        order.packed_at = utcnow()
    inventory.fulfil_lines([line.id for line in order.lines], reference=order.number)
    db.session.flush()
    return order


def confirm_received(order: Order, user_id: int) -> Order:
    order = _locked(order)
    _transition(order, OrderStatus.COMPLETED, _("Pesanan diterima pembeli"), user_id)
    db.session.flush()
    return order


def expire_unpaid(now: datetime | None = None, limit: int = 200) -> list[str]:
    """Cancels orders still unpaid at their deadline and releases their stock. Safe to run twice: an order that
    is no longer unpaid is skipped (its row is locked first, so a payment arriving now wins or loses cleanly)."""
    now = now or utcnow()
    ids = list(db.session.scalars(
        select(Order.id).where(Order.status == OrderStatus.UNPAID, Order.payment_due_at <= now)
        .order_by(Order.id).limit(limit)
    ))
    expired = []
    for order_id in ids:
        (order,) = lock_rows(Order, [order_id])
        if order.status == OrderStatus.UNPAID:
            cancel_unpaid(order, _("Batas waktu pembayaran habis"))
            expired.append(order.number)
    return expired


def orders_of_buyer(user_id: int, page: int = 1, per_page: int = 20) -> Page:
    """Newest first, a page at a time: a regular buyer's history would otherwise be one endless phone screen."""
    total = db.session.scalar(select(func.count()).select_from(Order).where(Order.user_id == user_id)) or 0
    items = db.session.scalars(
        select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc(), Order.id.desc())
        .options(selectinload(Order.lines), selectinload(Order.koperasi)).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), page=page, per_page=per_page, total=total)


def order_for_buyer(user_id: int, number: str) -> Order:
    order = db.session.scalar(select(Order).where(Order.number == number, Order.user_id == user_id))
    if order is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order
