"""Emails about orders. The outbox hands committed ``order.paid`` events here; the mail goes out from the mail
queue (never for a rolled-back order, never twice)."""

from flask import render_template
from flask_babel import gettext as _

from marketplace.core.urls import public_url
from marketplace.extensions import db
from marketplace.mail.services import queue_mail
from marketplace.orders.models import Order


def send_order_confirmations(events) -> None:
    for event in events:
        order = db.session.get(Order, event.payload.get("order_id"))
        if order is None:
            continue
        link = public_url("orders.detail", number=order.number)
        body = render_template("emails/order_paid.txt", order=order, link=link)
        queue_mail(order.email, _("Pesanan %(number)s sudah dibayar", number=order.number), body)
