"""The order desk: tabs, search, detail, pack, ship with courier and resi, cancel (refund if paid), packing slip."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from marketplace.checkout.models import COURIER_NAMES
from marketplace.core.errors import DomainError, NotFound
from marketplace.core.lookup import owned_or_404
from marketplace.core.pagination import parse_page
from marketplace.extensions import db
from marketplace.orders import desk
from marketplace.orders.models import Order
from marketplace.payments.gateway import GatewayError
from marketplace.payments.refunds import refund_of_order
from marketplace.seller.access import seller_view
from marketplace.seller.blueprint import bp, form_errors_flash
from marketplace.seller.forms import CancelOrderForm, PackForm, ShipForm


def _ship_form(order=None) -> ShipForm:
    form = ShipForm()
    form.courier.choices = [SelectChoice(c.value, name) for c, name in COURIER_NAMES.items()]
    if order is not None and not form.courier.data:
        form.courier.data = order.courier
    return form


@bp.get("/<slug>/pesanan")
@seller_view("orders")
def orders(membership):
    tab = request.args.get("tab", "semua")
    tab = tab if tab in desk.TABS else "semua"
    q = request.args.get("q", "")
    page = desk.list_orders(membership.koperasi_id, tab=tab, q=q, page=parse_page(request.args.get("hal")))
    return render_template("seller/orders.html", page=page, tab=tab, q=q, tabs=desk.TABS,
                           counts=desk.tab_counts(membership.koperasi_id))


@bp.get("/<slug>/pesanan/<number>")
@seller_view("orders")
def order_detail(membership, number: str):
    order = owned_or_404(Order, membership.koperasi_id, number, by="number")
    return render_template("seller/order_detail.html", order=order, ship_form=_ship_form(order),
                           cancel_form=CancelOrderForm(formdata=None), pack_form=PackForm(),
                           refund=refund_of_order(order.id))


def _act(membership, number: str, action, success: str):
    try:
        action()
    except NotFound:
        db.session.rollback()
        raise
    except (DomainError, GatewayError) as error:
        db.session.rollback()
        flash(getattr(error, "message", None) or _("Gagal menghubungi layanan pembayaran. Coba lagi."), "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("seller.order_detail", slug=membership.koperasi.slug, number=number))


@bp.post("/<slug>/pesanan/<number>/kemas")
@seller_view("orders")
def order_pack(membership, number: str):
    order = owned_or_404(Order, membership.koperasi_id, number, by="number")
    if not PackForm().validate_on_submit():
        return redirect(url_for("seller.order_detail", slug=membership.koperasi.slug, number=number))
    return _act(membership, number, lambda: desk.pack(membership, order), _("Pesanan ditandai sudah dikemas."))


@bp.post("/<slug>/pesanan/<number>/kirim")
@seller_view("orders")
def order_ship(membership, number: str):
    order = owned_or_404(Order, membership.koperasi_id, number, by="number")
    form = _ship_form()
    if not form.validate_on_submit():
        form_errors_flash(form)
        return redirect(url_for("seller.order_detail", slug=membership.koperasi.slug, number=number))
    return _act(membership, number, lambda: desk.ship(membership, order, form.courier.data or "",
                                                      form.tracking_number.data),
                _("Pesanan ditandai dikirim."))


@bp.post("/<slug>/pesanan/<number>/batal")
@seller_view("orders")
def order_cancel(membership, number: str):
    order = owned_or_404(Order, membership.koperasi_id, number, by="number")
    form = CancelOrderForm()
    if not form.validate_on_submit():
        form_errors_flash(form)
        return redirect(url_for("seller.order_detail", slug=membership.koperasi.slug, number=number))
    return _act(membership, number, lambda: desk.cancel(membership, order, form.reason.data),
                _("Pesanan dibatalkan; stok dikembalikan."))


@bp.get("/<slug>/pesanan/<number>/slip")
@seller_view("orders")
def order_slip(membership, number: str):
    order = owned_or_404(Order, membership.koperasi_id, number, by="number")
    return render_template("seller/packing_slip.html", order=order)
