"""Buyer order pages (/pesanan) and the koperasi's order desk (/seller/<slug>/pesanan)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.core.errors import DomainError
from marketplace.core.pagination import parse_page
from marketplace.extensions import db
from marketplace.orders import services

bp = Blueprint("orders", __name__)


def _apply(action, success: str, target: str):
    try:
        action()
        db.session.commit()
        flash(success, "success")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(target)


@bp.get("/pesanan")
@login_required
def index():
    page = services.orders_of_buyer(current_user.id, parse_page(request.args.get("hal")))
    return render_template("orders/list.html", page=page)


@bp.get("/pesanan/<number>")
@login_required
def detail(number: str):
    order = services.order_for_buyer(current_user.id, number)
    return render_template("orders/detail.html", order=order, seller_view=False)


@bp.post("/pesanan/<number>/batal")
@login_required
def cancel(number: str):
    order = services.order_for_buyer(current_user.id, number)
    return _apply(lambda: services.cancel_by_buyer(order, current_user.id), _("Pesanan dibatalkan."),
                  url_for("orders.detail", number=number))


@bp.post("/pesanan/<number>/diterima")
@login_required
def received(number: str):
    order = services.order_for_buyer(current_user.id, number)
    return _apply(lambda: services.confirm_received(order, current_user.id), _("Terima kasih! Pesanan selesai."),
                  url_for("orders.detail", number=number))

# The koperasi's order desk: queries and staff actions in orders/desk.py, pages in marketplace/seller/views/orders.py.
