"""Emails about orders, sent after commit by the outbox dispatcher (never for a rolled-back order)."""

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_mailman import EmailMessage

from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.outbox.services import on


@on("order.paid")
def send_order_confirmations(events) -> None:
    for event in events:
        order = db.session.get(Order, event.payload.get("order_id"))
        if order is None:
            continue
        link = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/pesanan/{order.number}"
        body = render_template("emails/order_paid.txt", order=order, link=link)
        EmailMessage(_("Pesanan %(number)s sudah dibayar", number=order.number), body, to=[order.email]).send()
