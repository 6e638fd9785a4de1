"""Refunds that people carry out: money from a manual transfer or a virtual account goes back by a bank transfer
that the koperasi's finance staff make themselves (``gateway.ManualRefund``), then confirm here."""

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.core.errors import NotFound
from marketplace.core.numbers import is_db_int
from marketplace.extensions import db
from marketplace.koperasi.audit import audit
from marketplace.koperasi.models import Membership
from marketplace.orders.models import Order
from marketplace.payments import refunds
from marketplace.payments.models import Refund


def waiting(koperasi_id: int) -> list[tuple[Refund, Order]]:
    """This koperasi's refunds waiting for a transfer back, each with its order."""
    rows = refunds.manual_refunds(koperasi_id)
    orders = {o.id: o for o in db.session.scalars(select(Order).where(Order.id.in_([r.order_id for r in rows])))}
    return [(refund, orders[refund.order_id]) for refund in rows]


def refund_of_koperasi(koperasi_id: int, refund_id: int) -> Refund:
    """Another koperasi's refund answers exactly like a missing one."""
    refund = db.session.get(Refund, refund_id) if is_db_int(refund_id) else None
    order = db.session.get(Order, refund.order_id) if refund is not None else None
    if order is None or order.koperasi_id != koperasi_id:
        raise NotFound(_("Pengembalian dana tidak ditemukan."))
    return refund


def confirm(actor: Membership, refund: Refund, note: str = "") -> bool:
    """The staff member transferred the money back. Safe twice (the second changes nothing)."""
    done = refunds.confirm_manual_refund(refund, note)
    if done:
        order = db.session.get(Order, refund.order_id)
        audit(actor, "payments.manual_refund", order.number, amount=refund.amount, note=note.strip()[:100])
    return done
