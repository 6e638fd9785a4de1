"""Catalog writes: categories, products, variants, certifications. Services flush; the caller commits."""

from datetime import date, timedelta

import nh3
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from marketplace.catalog.changes import product_changed, products_changed
from marketplace.catalog.models import (
    Category,
    Certification,
    CertificationKind,
    Product,
    ProductStatus,
    Variant,
)
from marketplace.core.errors import NotFound, ValidationError
from marketplace.extensions import db
from marketplace.koperasi.audit import audit_system
from marketplace.koperasi.models import Koperasi
from marketplace.koperasi.services import unique_slug


class DuplicateSku(ValidationError):
    code = "duplicate_sku"


class CertificateExpired(ValidationError):
    code = "certificate_expired"


# Sellers write descriptions with a little formatting; everything else (scripts, styles, links, images,
# attributes) is removed by nh3 (the maintained Rust "ammonia" sanitiser) before it is stored.
DESCRIPTION_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote"}
DESCRIPTION_MAX = 10_000
CERT_WARNING_DAYS = 30


def description_html(text: str) -> Markup:
    """For templates: a stored description is sanitised again on the way out (cheap, and safe for old rows)."""
    return Markup(nh3.clean(text or "", tags=DESCRIPTION_TAGS, attributes={}, link_rel=None))


def sanitise_description(html: str) -> str:
    cleaned = nh3.clean(html or "", tags=DESCRIPTION_TAGS, attributes={}, link_rel=None).strip()
    if len(cleaned) > DESCRIPTION_MAX:
        raise ValidationError(
            _("Deskripsi maksimal %(n)s karakter.", n=f"{DESCRIPTION_MAX:,}".replace(",", ".")), field="description"
        )
    return cleaned


def create_category(name: str, parent: Category | None = None, name_en: str = "", position: int = 0) -> Category:
    category = Category(name=name, name_en=name_en, parent=parent, slug=unique_slug(Category, name), position=position)
    db.session.add(category)
    db.session.flush()
    return category


CATEGORY_NAME_MAX = 120


def rename_category(category_id: int, name: str, name_en: str) -> Category:
    """The OPOP team names the shared categories, in Indonesian and optionally in English (English pages show the
    Indonesian name where there is none). The slug stays, so links and bulk files that name it keep working; the
    flush bumps the shared catalogue version, so cached pages show the new name at once, and the products named
    under it are re-indexed (search finds them by the new names)."""
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound(_("Kategori tidak ditemukan."))
    name, name_en = " ".join((name or "").split()), " ".join((name_en or "").split())
    if not name:
        raise ValidationError(_("Nama kategori wajib diisi."), field="name")
    for field, value in (("name", name), ("name_en", name_en)):
        if len(value) > CATEGORY_NAME_MAX:
            raise ValidationError(_("Nama kategori maksimal %(n)s karakter.", n=CATEGORY_NAME_MAX), field=field)
    if (category.name, category.name_en) == (name, name_en):
        return category
    category.name, category.name_en = name, name_en
    db.session.flush()
    # Search documents carry the names of a product's category and its parent: re-index those products.
    products_changed(db.session.scalars(select(Product.id).where(Product.category_id.in_(
        [category.id] + [child.id for child in category.children]))).all())
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
        description=sanitise_description(description),
        status=status,
        is_flagship=is_flagship,
    )
    db.session.add(product)
    db.session.flush()
    product_changed(product)
    return product


def _checked_variant_fields(koperasi_id: int, sku: str, price: int, weight_grams: int,
                            variant_id: int | None = None) -> str:
    """The rules every variant write shares; returns the normalised SKU."""
    sku = sku.strip().upper()
    if not sku:
        raise ValidationError(_("SKU wajib diisi."), field="sku")
    if price < 0:
        raise ValidationError(_("Harga tidak boleh negatif."), field="price")
    if weight_grams <= 0:
        raise ValidationError(_("Berat harus lebih dari 0 gram."), field="weight_grams")
    query = select(Variant.id).where(Variant.koperasi_id == koperasi_id, Variant.sku == sku)
    if variant_id is not None:
        query = query.where(Variant.id != variant_id)
    if db.session.scalar(query):
        raise DuplicateSku(_("SKU %(sku)s sudah dipakai produk lain di koperasi ini.", sku=sku), field="sku")
    return sku


def add_variant(
    product: Product, sku: str, price: int, weight_grams: int, *, name: str = "", options: dict | None = None
) -> Variant:
    sku = _checked_variant_fields(product.koperasi_id, sku, price, weight_grams)
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


def _check_certificate_number(kind: CertificationKind, number: str) -> str:
    number = " ".join((number or "").split()).upper()
    if not number:
        raise ValidationError(_("Nomor sertifikat wajib diisi."), field="number")
    compact = number.replace(" ", "").replace("-", "").replace(".", "")
    if kind == CertificationKind.PIRT and not (compact.isdigit() and len(compact) == 15):
        raise ValidationError(_("Nomor PIRT harus 15 digit angka."), field="number")
    if kind == CertificationKind.BPOM and not (compact[:2] in ("MD", "ML") and compact[2:].isdigit()):
        raise ValidationError(_("Nomor BPOM diawali MD atau ML lalu angka, mis. MD 123456789012."), field="number")
    return number


def set_certification(
    product: Product, kind: CertificationKind, number: str, valid_until: date | None
) -> Certification:
    kind = CertificationKind(kind)
    number = _check_certificate_number(kind, number)
    cert = next((c for c in product.certifications if c.kind == kind), None)
    if cert is None:
        cert = Certification(product=product, kind=kind, number=number, valid_until=valid_until)
        db.session.add(cert)
    else:
        cert.number, cert.valid_until = number, valid_until
    db.session.flush()
    product_changed(product)
    return cert


def variant_of_product(product: Product, variant_id: int) -> Variant:
    variant = next((v for v in product.variants if v.id == variant_id), None)
    if variant is None:
        raise NotFound(_("Varian tidak ditemukan."))
    return variant


def update_product(product: Product, *, name: str, category: Category | None, description: str) -> Product:
    if not name.strip():
        raise ValidationError(_("Nama produk wajib diisi."), field="name")
    product.name = name.strip()
    product.category = category
    product.description = sanitise_description(description)
    db.session.flush()
    product_changed(product)
    return product


def parse_options(text: str) -> dict:
    """``Ukuran=250 g; Rasa=Pedas`` → ``{"Ukuran": "250 g", "Rasa": "Pedas"}`` (the CSV and form format)."""
    options: dict[str, str] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValidationError(_("Opsi harus berbentuk Nama=Nilai, dipisah titik koma."), field="options")
        key, value = (x.strip() for x in part.split("=", 1))
        if not key or not value:
            raise ValidationError(_("Opsi harus berbentuk Nama=Nilai, dipisah titik koma."), field="options")
        options[key] = value
    return options


def format_options(options: dict | None) -> str:
    return "; ".join(f"{k}={v}" for k, v in (options or {}).items())


def update_variant(
    variant: Variant, *, sku: str, price: int, weight_grams: int, name: str = "", options: dict | None = None,
    is_active: bool = True,
) -> Variant:
    sku = _checked_variant_fields(variant.koperasi_id, sku, price, weight_grams, variant_id=variant.id)
    variant.sku, variant.price, variant.weight_grams = sku, int(price), int(weight_grams)
    variant.name, variant.options, variant.is_active = name.strip(), options or {}, is_active
    db.session.flush()
    product_changed(variant.product_id)
    return variant


def publish_blockers(product: Product, today: date | None = None) -> list[str]:
    """Why this product may not be shown to buyers (empty: it may). An expired halal/PIRT/BPOM certificate
    blocks publishing: buyers and partner marketplaces rely on those numbers being current."""
    today = today or date.today()
    reasons = []
    if not any(v.is_active for v in product.variants):
        reasons.append(_("Produk belum punya varian aktif."))
    for cert in product.certifications:
        if cert.valid_until is not None and cert.valid_until < today:
            reasons.append(
                _("Sertifikat %(kind)s %(number)s sudah kedaluwarsa sejak %(date)s.",
                  kind=cert.kind.value.upper(), number=cert.number, date=cert.valid_until.strftime("%d-%m-%Y"))
            )
    return reasons


def change_product_status(product: Product, status: ProductStatus) -> Product:
    status = ProductStatus(status)
    if status == ProductStatus.PUBLISHED:
        blockers = publish_blockers(product)
        if blockers:
            raise CertificateExpired(" ".join(blockers))
    product.status = status
    db.session.flush()
    product_changed(product)
    return product


def expiring_certifications(koperasi_id: int, today: date | None = None) -> list[Certification]:
    """Certificates of this koperasi's live products that expired or expire within 30 days, soonest first."""
    today = today or date.today()
    return list(
        db.session.scalars(
            select(Certification)
            .join(Product, Product.id == Certification.product_id)
            .where(
                Product.koperasi_id == koperasi_id,
                Product.status != ProductStatus.ARCHIVED,
                Certification.valid_until.is_not(None),
                Certification.valid_until <= today + timedelta(days=CERT_WARNING_DAYS),
            )
            .options(contains_eager(Certification.product))
            .order_by(Certification.valid_until)
        )
    )


def certification_of_product(product: Product, certification_id: int) -> Certification:
    cert = next((c for c in product.certifications if c.id == certification_id), None)
    if cert is None:
        raise NotFound(_("Sertifikat tidak ditemukan."))
    return cert


def remove_certification(product: Product, cert: Certification) -> None:
    product.certifications.remove(cert)
    db.session.flush()
    product_changed(product)


def published_with_expired_certificate(today: date | None = None) -> list[Product]:
    """Published products showing a certificate past its validity (it expired after they were published)."""
    today = today or date.today()
    return list(db.session.scalars(
        select(Product).where(
            Product.status == ProductStatus.PUBLISHED,
            Product.id.in_(select(Certification.product_id).where(Certification.valid_until < today)),
        ).order_by(Product.id)
    ))


def unpublish_expired_products(today: date | None = None) -> int:
    """The daily sweep: a product whose halal/PIRT/BPOM certificate expired goes back to draft (the same rule that
    refuses to publish it), with an entry in its koperasi's audit log. Safe to run twice."""
    products = published_with_expired_certificate(today)
    for product in products:
        change_product_status(product, ProductStatus.DRAFT)
        expired = [f"{c.kind.value.upper()} {c.number}" for c in product.certifications if not c.is_valid]
        audit_system(product.koperasi_id, "product.auto_unpublish", product.name, product_id=product.id,
                     expired=expired)
    db.session.flush()
    return len(products)
