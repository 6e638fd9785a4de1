"""Stock table, adjustments, one variant's ledger, low stock, and warehouses."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from marketplace.catalog.models import Variant
from marketplace.core.errors import DomainError
from marketplace.core.lookup import owned_or_404
from marketplace.core.numbers import parse_int
from marketplace.core.pagination import parse_page
from marketplace.core.regions import REGIONS
from marketplace.extensions import db
from marketplace.inventory import staff as stock_services
from marketplace.inventory import warehouses as warehouse_services
from marketplace.inventory.ledger import variant_ledger
from marketplace.inventory.models import Warehouse
from marketplace.inventory.stock_table import stock_line, stock_table
from marketplace.seller.access import seller_view
from marketplace.seller.blueprint import bp, fail, form_errors_flash
from marketplace.seller.forms import AdjustStockForm, StockTakeForm, ThresholdForm, WarehouseForm


def _adjust_form(koperasi_id: int, formdata=True) -> AdjustStockForm:
    form = AdjustStockForm() if formdata else AdjustStockForm(formdata=None)
    form.warehouse_id.choices = [SelectChoice(w.id, w.name) for w in
                                 warehouse_services.warehouses_of(koperasi_id, active_only=True)]
    form.reason.choices = [SelectChoice(code, str(label)) for code, (label, _reason) in
                           stock_services.ADJUST_REASONS.items()]
    return form


@bp.route("/<slug>/stok/", methods=["GET", "POST"])
@seller_view("stock")
def stock(membership):
    if request.method == "POST":
        return _stock_take(membership)
    q, low = request.args.get("q", ""), request.args.get("menipis") == "1"
    warehouses, page = stock_table(membership.koperasi_id, q=q, low_only=low,
                                   page=parse_page(request.args.get("hal")))
    return render_template("seller/stock.html", warehouses=warehouses, page=page, q=q, low=low)


def _stock_take(membership):
    """A counted quantity for one variant in one warehouse (``variant``, ``warehouse``, ``quantity``, ``note``)."""
    variant = owned_or_404(Variant, membership.koperasi_id, parse_int(request.form.get("variant"), 0))
    warehouse = owned_or_404(Warehouse, membership.koperasi_id, parse_int(request.form.get("warehouse"), 0))
    form = StockTakeForm()
    if form.validate_on_submit():
        try:
            stock_services.stock_take(membership, variant, warehouse, form.quantity.data, form.note.data or "")
        except DomainError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash(_("Stok %(sku)s sekarang %(n)s.", sku=variant.sku, n=form.quantity.data), "success")
    else:
        form_errors_flash(form)
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else
                    url_for("seller.stock", slug=membership.koperasi.slug))


@bp.route("/<slug>/stok/<int:variant_id>", methods=["GET", "POST"])
@bp.get("/<slug>/stok/<int:variant_id>/riwayat")
@seller_view("stock")
def stock_variant(membership, variant_id: int):
    variant = owned_or_404(Variant, membership.koperasi_id, variant_id)
    form = _adjust_form(membership.koperasi_id)
    if form.validate_on_submit():
        warehouse = owned_or_404(Warehouse, membership.koperasi_id, form.warehouse_id.data)
        try:
            stock_services.adjust(membership, variant, warehouse, mode=form.mode.data, quantity=form.quantity.data,
                                  reason=form.reason.data, note=form.note.data or "")
        except DomainError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("Stok %(sku)s diperbarui.", sku=variant.sku), "success")
            return redirect(url_for("seller.stock_variant", slug=membership.koperasi.slug, variant_id=variant.id))
    ledger = variant_ledger(variant, parse_page(request.args.get("hal")))
    threshold_form = ThresholdForm(formdata=None, threshold=variant.low_stock_threshold)
    warehouses, line = stock_line(variant)
    return render_template("seller/stock_variant.html", variant=variant, form=form, ledger=ledger,
                           threshold_form=threshold_form, warehouses=warehouses, line=line)


@bp.post("/<slug>/stok/<int:variant_id>/batas")
@seller_view("stock")
def stock_threshold(membership, variant_id: int):
    variant = owned_or_404(Variant, membership.koperasi_id, variant_id)
    form = ThresholdForm()
    if form.validate_on_submit():
        try:
            stock_services.set_threshold(membership, variant, form.threshold.data)
        except DomainError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash(_("Batas stok menipis disimpan."), "success")
    else:
        form_errors_flash(form)
    return redirect(url_for("seller.stock_variant", slug=membership.koperasi.slug, variant_id=variant.id))


def _warehouse_form(obj=None) -> WarehouseForm:
    form = WarehouseForm(obj=obj)
    form.region_code.choices = [SelectChoice(r.code, r.label) for r in REGIONS]
    return form


@bp.get("/<slug>/gudang")
@seller_view("stock")
def warehouses(membership):
    form = _warehouse_form()
    form.region_code.data = membership.koperasi.region_code
    return render_template("seller/warehouses.html", form=form,
                           warehouses=warehouse_services.warehouses_of(membership.koperasi_id))


@bp.post("/<slug>/gudang/baru")
@seller_view("stock")
def warehouse_new(membership):
    form = _warehouse_form()
    if form.validate_on_submit():
        try:
            stock_services.add_warehouse(membership, name=form.name.data, region_code=form.region_code.data,
                                         address=form.address.data or "")
        except DomainError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash(_("Gudang ditambahkan."), "success")
    else:
        form_errors_flash(form)
    return redirect(url_for("seller.warehouses", slug=membership.koperasi.slug))


@bp.route("/<slug>/gudang/<int:warehouse_id>", methods=["GET", "POST"])
@seller_view("stock")
def warehouse_edit(membership, warehouse_id: int):
    warehouse = owned_or_404(Warehouse, membership.koperasi_id, warehouse_id)
    form = _warehouse_form(obj=warehouse if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            stock_services.edit_warehouse(membership, warehouse, name=form.name.data,
                                          region_code=form.region_code.data, address=form.address.data or "",
                                          is_active=bool(form.is_active.data))
        except DomainError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("Gudang disimpan."), "success")
            return redirect(url_for("seller.warehouses", slug=membership.koperasi.slug))
    return render_template("seller/warehouse_edit.html", form=form, warehouse=warehouse)
