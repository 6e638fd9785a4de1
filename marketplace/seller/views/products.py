"""Products, variants, images, certifications and publishing."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from marketplace.catalog import images as catalog_images
from marketplace.catalog import services as catalog
from marketplace.catalog import staff as actions
from marketplace.catalog.models import Product, ProductStatus
from marketplace.core.errors import ValidationError
from marketplace.core.lookup import owned_or_404
from marketplace.core.pagination import parse_page
from marketplace.extensions import db
from marketplace.seller.access import seller_view
from marketplace.seller.blueprint import bp, fail, form_errors_flash
from marketplace.seller.forms import (
    ActionForm,
    CertificationForm,
    ImageForm,
    MoveForm,
    NewProductForm,
    ProductForm,
    StatusForm,
    VariantForm,
)


def _category_choices() -> list[SelectChoice]:
    return [SelectChoice(category_id, label) for category_id, label in actions.category_options()]


def _variant_values(form) -> dict:
    return {"sku": form.sku.data, "price": form.price.data, "weight_grams": form.weight_grams.data,
            "variant_name": form.variant_name.data or "", "options": form.options.data or ""}


def _product_url(membership, product, anchor: str = "") -> str:
    return url_for("seller.product_edit", slug=membership.koperasi.slug, product_id=product.id) + anchor


@bp.get("/<slug>/produk")
@seller_view("products")
def products(membership):
    q, status = request.args.get("q", ""), request.args.get("status", "")
    page = actions.list_products(membership.koperasi_id, q=q, status=status, page=parse_page(request.args.get("hal")))
    return render_template("seller/products.html", page=page, q=q, status=status)


@bp.route("/<slug>/produk/baru", methods=["GET", "POST"])
@seller_view("products")
def product_new(membership):
    form = NewProductForm()
    form.category_id.choices = _category_choices()
    if form.validate_on_submit():
        try:
            product = actions.create_product(membership, name=form.name.data, category_id=form.category_id.data,
                                             description=form.description.data or "", **_variant_values(form))
        except ValidationError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("Produk disimpan sebagai draf. Tambahkan gambar lalu terbitkan."), "success")
            return redirect(_product_url(membership, product))
    return render_template("seller/product_new.html", form=form)


@bp.route("/<slug>/produk/<int:product_id>", methods=["GET", "POST"])
@seller_view("products")
def product_edit(membership, product_id: int):
    product = owned_or_404(Product, membership.koperasi_id, product_id)
    form = ProductForm(obj=product if request.method == "GET" else None)
    form.category_id.choices = _category_choices()
    if request.method == "GET":
        form.category_id.data = product.category_id or 0
    if form.validate_on_submit():
        try:
            actions.update_product(membership, product, name=form.name.data, category_id=form.category_id.data,
                                   description=form.description.data or "")
        except ValidationError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("Perubahan disimpan."), "success")
            return redirect(_product_url(membership, product))
    return render_template(
        "seller/product_edit.html", product=product, form=form, variant_form=VariantForm(formdata=None),
        image_form=ImageForm(formdata=None), cert_form=CertificationForm(formdata=None), action_form=ActionForm(),
        blockers=catalog.publish_blockers(product), format_options=catalog.format_options,
        statuses=ProductStatus, warning_days=catalog.CERT_WARNING_DAYS, today=date.today(),
    )


@bp.post("/<slug>/produk/<int:product_id>/status")
@seller_view("products")
def product_status(membership, product_id: int):
    product = owned_or_404(Product, membership.koperasi_id, product_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            actions.change_status(membership, product, form.status.data)
        except ValidationError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash({"published": _("Produk diterbitkan."), "draft": _("Produk disembunyikan (draf)."),
                   "archived": _("Produk diarsipkan.")}[form.status.data], "success")
    else:
        form_errors_flash(form)
    return redirect(_product_url(membership, product))


@bp.post("/<slug>/produk/<int:product_id>/varian")
@seller_view("products")
def variant_add(membership, product_id: int):
    product = owned_or_404(Product, membership.koperasi_id, product_id)
    form = VariantForm()
    if form.validate_on_submit():
        try:
            actions.add_variant(membership, product, **_variant_values(form))
        except ValidationError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash(_("Varian ditambahkan."), "success")
    else:
        form_errors_flash(form)
    return redirect(_product_url(membership, product, "#varian"))


@bp.route("/<slug>/produk/<int:product_id>/varian/<int:variant_id>", methods=["GET", "POST"])
@seller_view("products")
def variant_edit(membership, product_id: int, variant_id: int):
    product = owned_or_404(Product, membership.koperasi_id, product_id)
    variant = catalog.variant_of_product(product, variant_id)
    form = VariantForm()
    if request.method == "GET":
        form.sku.data, form.variant_name.data, form.price.data = variant.sku, variant.name, variant.price
        form.weight_grams.data, form.is_active.data = variant.weight_grams, variant.is_active
        form.options.data = catalog.format_options(variant.options)
    if form.validate_on_submit():
        try:
            actions.update_variant(membership, variant, is_active=bool(form.is_active.data), **_variant_values(form))
        except ValidationError as error:
            fail(form, error)
        else:
            db.session.commit()
            flash(_("Varian disimpan."), "success")
            return redirect(_product_url(membership, product, "#varian"))
    return render_template("seller/variant_edit.html", product=product, variant=variant, form=form)


@bp.post("/<slug>/produk/<int:product_id>/gambar")
@seller_view("products")
def image_add(membership, product_id: int):
    product = owned_or_404(Product, membership.koperasi_id, product_id)
    form = ImageForm()
    if form.validate_on_submit():
        try:
            actions.add_image(membership, product, form.image.data.read())
        except ValidationError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash(_("Gambar ditambahkan."), "success")
    else:
        form_errors_flash(form)
    return redirect(_product_url(membership, product, "#gambar"))


@bp.post("/<slug>/produk/<int:product_id>/gambar/<int:image_id>/geser")
@seller_view("products")
def image_move(membership, product_id: int, image_id: int):
    product = owned_or_404(Product, membership.koperasi_id, product_id)
    image = catalog_images.image_of_product(product, image_id)
    form = MoveForm()
    if form.validate_on_submit():
        actions.move_image(membership, product, image, form.direction.data)
        db.session.commit()
    return redirect(_product_url(membership, product, "#gambar"))


@bp.post("/<slug>/produk/<int:product_id>/gambar/<int:image_id>/hapus")
@seller_view("products")
def image_delete(membership, product_id: int, image_id: int):
    product = owned_or_404(Product, membership.koperasi_id, product_id)
    image = catalog_images.image_of_product(product, image_id)
    if ActionForm().validate_on_submit():
        actions.delete_image(membership, product, image)
        db.session.commit()
        flash(_("Gambar dihapus."), "success")
    return redirect(_product_url(membership, product, "#gambar"))


@bp.post("/<slug>/produk/<int:product_id>/sertifikat")
@seller_view("products")
def certification_set(membership, product_id: int):
    product = owned_or_404(Product, membership.koperasi_id, product_id)
    form = CertificationForm()
    if form.validate_on_submit():
        try:
            actions.set_certification(membership, product, form.kind.data, form.number.data, form.valid_until.data)
        except ValidationError as error:
            fail(None, error)
        else:
            db.session.commit()
            flash(_("Sertifikat disimpan."), "success")
    else:
        form_errors_flash(form)
    return redirect(_product_url(membership, product, "#sertifikat"))


@bp.post("/<slug>/produk/<int:product_id>/sertifikat/<int:certification_id>/hapus")
@seller_view("products")
def certification_remove(membership, product_id: int, certification_id: int):
    product = owned_or_404(Product, membership.koperasi_id, product_id)
    catalog.certification_of_product(product, certification_id)
    if ActionForm().validate_on_submit():
        actions.remove_certification(membership, product, certification_id)
        db.session.commit()
        flash(_("Sertifikat dihapus."), "success")
    return redirect(_product_url(membership, product, "#sertifikat"))
