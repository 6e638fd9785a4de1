"""The koperasi's stock desk: counts per warehouse, stock takes through the inventory services, the ledger."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from marketplace.catalog.models import Variant
from marketplace.core.errors import DomainError, NotFound
from marketplace.extensions import db
from marketplace.inventory import queries, services
from marketplace.inventory.models import MovementReason, Warehouse
from marketplace.koperasi.models import Role
from marketplace.koperasi.services import membership_for

bp = Blueprint("inventory", __name__, url_prefix="/seller/<slug>/stok")
_STOCK_ROLES = {Role.STOCK, Role.ADMIN}
REASON_LABELS = {
    MovementReason.INITIAL: _l("Stok awal"), MovementReason.ADJUSTMENT: _l("Penyesuaian"),
    MovementReason.IMPORT: _l("Impor"), MovementReason.SALE: _l("Pesanan"),
    MovementReason.FULFILMENT: _l("Dikirim"), MovementReason.CANCEL: _l("Batal"),
    MovementReason.RETURN: _l("Retur"), MovementReason.PARTNER_ORDER: _l("Pesanan marketplace mitra"),
}


def _owned(model, object_id: int | None, koperasi_id: int):
    obj = db.session.get(model, object_id) if object_id else None
    if obj is None or obj.koperasi_id != koperasi_id:
        raise NotFound(_("Data stok tidak ditemukan."))
    return obj


@bp.get("/")
@login_required
def overview(slug: str):
    membership = membership_for(current_user, slug, _STOCK_ROLES)
    return render_template("inventory/overview.html", koperasi=membership.koperasi,
                           rows=queries.stock_overview(membership.koperasi_id))


@bp.post("/")
@login_required
def set_quantity(slug: str):
    membership = membership_for(current_user, slug, _STOCK_ROLES)
    variant = _owned(Variant, request.form.get("variant", type=int), membership.koperasi_id)
    warehouse = _owned(Warehouse, request.form.get("warehouse", type=int), membership.koperasi_id)
    quantity = request.form.get("quantity", type=int)
    try:
        if quantity is None:
            raise DomainError(_("Jumlah stok harus berupa angka."))
        services.set_stock(variant, warehouse, quantity, user_id=current_user.id,
                           note=request.form.get("note", "").strip() or _("Stok opname"))
        db.session.commit()
        flash(_("Stok %(sku)s sekarang %(n)s.", sku=variant.sku, n=quantity), "success")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("inventory.overview", slug=slug))


@bp.get("/<int:variant_id>/riwayat")
@login_required
def ledger(slug: str, variant_id: int):
    membership = membership_for(current_user, slug, _STOCK_ROLES)
    variant = _owned(Variant, variant_id, membership.koperasi_id)
    return render_template("inventory/ledger.html", koperasi=membership.koperasi, variant=variant,
                           movements=queries.movements_of_variant(variant.id), reasons=REASON_LABELS)
