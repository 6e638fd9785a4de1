"""Catalog writes: categories, products, variants, certifications. Services flush; the caller commits."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.catalog.changes import product_changed
from marketplace.catalog.models import (
    Category,
    Certification,
    CertificationKind,
    Product,
    ProductStatus,
    Variant,
)
from marketplace.core.errors import ValidationError
from marketplace.extensions import db
from marketplace.koperasi.models import Koperasi
from marketplace.koperasi.services import unique_slug


class DuplicateSku(ValidationError):
    code = "duplicate_sku"


def create_category(name: str, parent: Category | None = None, name_en: str = "", position: int = 0) -> Category:
    category = Category(name=name, name_en=name_en, parent=parent, slug=unique_slug(Category, name), position=position)
    db.session.add(category)
    db.session.flush()
    return category


def create_product(
    koperasi: Koperasi,
    name: str,
    *,
    category: Category | None = None,
    description: str = "",
    status: ProductStatus = ProductStatus.DRAFT,
    is_flagship: bool = False,
) -> Product:
    if not name.strip():
        raise ValidationError(_("Nama produk wajib diisi."), field="name")
    product = Product(
        koperasi_id=koperasi.id,
        name=name.strip(),
        slug=unique_slug(Product, name),
        category=category,
        description=description,
        status=status,
        is_flagship=is_flagship,
    )
    db.session.add(product)
    db.session.flush()
    product_changed(product)
    return product


def add_variant(
    product: Product, sku: str, price: int, weight_grams: int, *, name: str = "", options: dict | None = None
) -> Variant:
    sku = sku.strip().upper()
    if not sku:
        raise ValidationError(_("SKU wajib diisi."), field="sku")
    if price < 0:
        raise ValidationError(_("Harga tidak boleh negatif."), field="price")
    if weight_grams <= 0:
        raise ValidationError(_("Berat harus lebih dari 0 gram."), field="weight_grams")
    clash = db.session.scalar(
        select(Variant.id).where(Variant.koperasi_id == product.koperasi_id, Variant.sku == sku)
    )
    if clash:
        raise DuplicateSku(_("SKU %(sku)s sudah dipakai produk lain di koperasi ini.", sku=sku), field="sku")
    variant = Variant(
        product=product,
        koperasi_id=product.koperasi_id,
        sku=sku,
        price=int(price),
        weight_grams=int(weight_grams),
        name=name,
        options=options or {},
        position=len(product.variants),
    )
    db.session.add(variant)
    db.session.flush()
    product_changed(product)
    return variant


def set_certification(
    product: Product, kind: CertificationKind, number: str, valid_until: date | None
) -> Certification:
    cert = next((c for c in product.certifications if c.kind == kind), None)
    if cert is None:
        cert = Certification(product=product, kind=kind, number=number, valid_until=valid_until)
        db.session.add(cert)
    else:
        cert.number, cert.valid_until = number, valid_until
    db.session.flush()
    product_changed(product)
    return cert
