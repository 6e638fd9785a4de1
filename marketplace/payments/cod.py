"""Cash on delivery (``cod``): the buyer pays the courier in cash, the koperasi collects it.

Offered when every koperasi in the cart accepts COD and each of its orders is within that koperasi's maximum.
Picking it moves the orders straight to *dikemas* (``orders.place_cash_on_delivery``) with nothing marked paid
and no deadline left to expire them. After shipping, the koperasi records each order's cash ("Uang COD
diterima", ``collect_cash``: the order's ``paid_at``). The payment is settled per order, then whole: once every
order of the cart that was not cancelled has its cash in, ``services.record_success`` marks the payment paid with
the cash actually collected (an order cancelled before shipping owed nothing, so its total leaves the payment's
amount; its stock went back when it was cancelled and no refund exists for it)."""

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import ValidationError
from marketplace.core.locking import lock_rows
from marketplace.core.money import format_rupiah
from marketplace.core.urls import public_url
from marketplace.koperasi.models import Membership
from marketplace.mail.services import queue_mail
from marketplace.orders import desk
from marketplace.orders import services as orders_service
from marketplace.orders.models import Order, OrderStatus
from marketplace.orders.notifications import ORDER_ROLES
from marketplace.payments import services
from marketplace.payments.gateway import ManualRefund
from marketplace.payments.koperasi_settings import settings_by_koperasi, staff_emails
from marketplace.payments.methods import Method, register
from marketplace.payments.models import Payment, PaymentStatus

CODE = "cod"


def unavailable(payment: Payment, orders: list[Order]) -> str | None:
    orders = [order for order in orders if order.status == OrderStatus.UNPAID]
    settings = settings_by_koperasi([order.koperasi_id for order in orders])
    for order in orders:
        mine = settings.get(order.koperasi_id)
        if mine is None or not mine.cod_enabled:
            return _("COD tidak tersedia: %(name)s belum menerima bayar di tempat.", name=order.koperasi.name)
        if mine.cod_max_amount is not None and order.total > mine.cod_max_amount:
            return _("COD tidak tersedia: %(name)s membatasi COD sampai %(max)s.", name=order.koperasi.name,
                     max=format_rupiah(mine.cod_max_amount))
    return None


def start(payment: Payment, orders: list[Order]) -> None:
    """Every order goes to its koperasi to pack; each koperasi's order staff hear of it by mail."""
    orders = [order for order in orders if order.status == OrderStatus.UNPAID]
    for order in orders:
        orders_service.place_cash_on_delivery(order, order.user_id)
    payment.details = {"cash_due": payment.amount}
    if orders and orders[0].email:  # the buyer's confirmation: what to have ready for the courier
        body = render_template("emails/cod_placed.txt", orders=orders, amount=payment.amount,
                               link=public_url("orders.index"))
        queue_mail(orders[0].email, _("Pesanan Anda dibayar di tempat (COD): siapkan %(amount)s",
                                      amount=format_rupiah(payment.amount)), body)
    for order in orders:
        emails = staff_emails(order.koperasi_id, ORDER_ROLES)
        if emails:
            body = render_template("emails/cod_order_for_koperasi.txt", order=order,
                                   link=public_url("seller.order_detail", slug=order.koperasi.slug,
                                                   number=order.number))
            subject = _("Pesanan COD baru %(number)s: siap dikemas", number=order.number)
            for email in emails:  # one message each, like the other staff mail
                queue_mail(email, subject, body)


def refund(payment: Payment, amount: int, idempotency_key: str) -> str:
    raise ManualRefund(_("Uang COD dikembalikan langsung oleh koperasi."))


def collect_cash(actor: Membership, order: Order) -> str:
    """"Uang COD diterima" for one order; settles the payment when it was the last cash to come in. The payment
    row is locked first, so two koperasi recording the last two orders at once cannot both miss the settling."""
    if not order.cash_on_delivery or order.payment_id is None:
        raise ValidationError(_("Pesanan ini tidak dibayar di tempat (COD)."))
    (payment,) = lock_rows(Payment, [order.payment_id])
    if not desk.collect_cash(actor, order):
        return "already"
    return settle(payment)


def settle(payment: Payment) -> str:
    """Per order, then whole: "waiting" while an order's cash is still out, else the payment is paid with what
    was collected (``record_success``)."""
    if payment.status == PaymentStatus.SUCCEEDED:
        return "already_paid"
    orders = lock_rows(Order, [o.id for o in services.orders_of(payment)])
    if any(o.paid_at is None and o.status != OrderStatus.CANCELLED for o in orders):
        return "waiting"
    collected = sum(o.total for o in orders if o.paid_at is not None)
    if not collected:
        return "nothing_collected"
    if collected != payment.amount:
        payment.details = {**(payment.details or {}), "ordered_amount": payment.amount}
        payment.amount = collected
    return services.record_success(payment, collected, payment.currency)


def register_methods() -> None:
    register(Method(code=CODE, label=_l("Bayar di tempat (COD)"), group="cod", gateway="cod",
                    template="payments/methods/cod.html", unavailable=unavailable, start=start, refund=refund,
                    hint=_l("Bayar tunai ke kurir saat paket tiba")))
