"""Emails about orders. The outbox hands committed order events here; the mail goes out from the mail queue
(never for a rolled-back order, never twice)."""

from urllib.parse import quote

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.urls import public_url
from marketplace.extensions import db
from marketplace.koperasi.models import Membership, Role
from marketplace.mail.services import queue_mail
from marketplace.orders.models import Order, OrderStatus

# Roles that handle a new paid order (the order desk); the owner always hears about one.
ORDER_ROLES = (Role.OWNER, Role.ADMIN, Role.ORDERS)


def send_order_confirmations(events) -> None:
    for event in events:
        order = db.session.get(Order, event.payload.get("order_id"))
        if order is None:
            continue
        link = public_url("orders.detail", number=order.number)
        body = render_template("emails/order_paid.txt", order=order, link=link)
        queue_mail(order.email, _("Pesanan %(number)s sudah dibayar", number=order.number), body)


def notify_koperasi_of_paid_orders(events) -> None:
    """The koperasi's order staff learn of a paid order by mail: a parcel waiting on a dashboard nobody opened
    is a late parcel."""
    for event in events:
        order = db.session.get(Order, event.payload.get("order_id"))
        if order is None:
            continue
        emails = db.session.scalars(
            select(User.email).join(Membership, Membership.user_id == User.id)
            .where(Membership.koperasi_id == order.koperasi_id, Membership.role.in_(ORDER_ROLES))
            .order_by(User.email)).all()
        if not emails:
            continue
        link = public_url("seller.order_detail", slug=order.koperasi.slug, number=order.number)
        body = render_template("emails/order_new_for_koperasi.txt", order=order, link=link)
        subject = _("Pesanan baru %(number)s sudah dibayar: siap dikemas", number=order.number)
        for email in dict.fromkeys(emails):
            queue_mail(email, subject, body)


def tracking_url(courier: str, tracking_number: str) -> str | None:
    template = current_app.config.get("COURIER_TRACKING_URLS", {}).get(courier)
    return template.replace("{resi}", quote(tracking_number, safe="")) if template and tracking_number else None


_SUBJECTS = {
    OrderStatus.SHIPPED: lambda n: _("Pesanan %(number)s sudah dikirim", number=n),
    OrderStatus.CANCELLED: lambda n: _("Pesanan %(number)s dibatalkan", number=n),
    OrderStatus.REFUND_PENDING: lambda n: _("Pesanan %(number)s dibatalkan, dana sedang dikembalikan", number=n),
    OrderStatus.REFUNDED: lambda n: _("Dana pesanan %(number)s sudah dikembalikan", number=n),
}


def notify_buyer_of_status(events) -> None:
    """Shipped (with the resi and the courier's tracking page when one is configured), cancelled, refunded: the
    moments a buyer would otherwise have to come and look. The event's own status decides the mail, so a later
    change does not turn a "dikirim" mail into another."""
    for event in events:
        try:
            status = OrderStatus(event.payload.get("status"))
        except ValueError:
            continue
        order = db.session.get(Order, event.payload.get("order_id"))
        if order is None or status not in _SUBJECTS or not order.email or order.channel:
            continue  # a partner platform's buyer hears from the platform, not from us
        note = next((c.note for c in reversed(order.history) if c.to_status == status), "")
        body = render_template("emails/order_status.txt", order=order, status=status, note=note,
                               link=public_url("orders.detail", number=order.number),
                               tracking=tracking_url(order.courier, order.tracking_number or ""))
        queue_mail(order.email, _SUBJECTS[status](order.number), body)
