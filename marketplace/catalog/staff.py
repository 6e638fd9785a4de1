"""Catalog actions taken by koperasi staff from the dashboard: each applies the catalog rules (``services``,
``images``) and writes the staff audit entry in the same transaction. Plain values in; services flush, the
request commits."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from marketplace.catalog import images as catalog_images
from marketplace.catalog import services as catalog
from marketplace.catalog.changes import product_changed
from marketplace.catalog.models import Category, CertificationKind, Product, ProductImage, ProductStatus, Variant
from marketplace.catalog.names import category_name
from marketplace.core.errors import ValidationError
from marketplace.core.pagination import Page
from marketplace.extensions import db
from marketplace.koperasi.audit import audit
from marketplace.koperasi.models import Membership


def category_options() -> list[tuple[int, str]]:
    """(id, label) for a category picker: top-level categories, each followed by its children."""
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name)).all()
    by_parent: dict[int | None, list[Category]] = {}
    for category in categories:
        by_parent.setdefault(category.parent_id, []).append(category)
    options = [(0, _("— Tanpa kategori —"))]
    for top in by_parent.get(None, []):
        options.append((top.id, category_name(top)))
        options.extend((child.id, f"{category_name(top)} › {category_name(child)}")
                       for child in by_parent.get(top.id, []))
    return options


def _category(category_id: int | None) -> Category | None:
    if not category_id:
        return None
    category = db.session.get(Category, category_id)
    if category is None:
        raise ValidationError(_("Kategori tidak dikenal."), field="category_id")
    return category


def list_products(koperasi_id: int, *, q: str = "", status: str = "", page: int = 1, per_page: int = 30) -> Page:
    """The koperasi's products, newest change first; search by name or SKU."""
    query = select(Product).where(Product.koperasi_id == koperasi_id)
    if status in {s.value for s in ProductStatus}:
        query = query.where(Product.status == ProductStatus(status))
    if q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(
            func.lower(Product.name).like(like),
            Product.id.in_(select(Variant.product_id)
                           .where(Variant.koperasi_id == koperasi_id, func.lower(Variant.sku).like(like))),
        ))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.options(selectinload(Product.variants), selectinload(Product.images),
                      selectinload(Product.certifications))
        .order_by(Product.updated_at.desc(), Product.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=list(items), page=page, per_page=per_page, total=total)


def product_counts(koperasi_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Product.status, func.count()).where(Product.koperasi_id == koperasi_id).group_by(Product.status)
    )
    return {status.value: n for status, n in rows}


def recently_changed(koperasi_id: int, limit: int = 5) -> list[Product]:
    return list(db.session.scalars(
        select(Product).where(Product.koperasi_id == koperasi_id)
        .order_by(Product.updated_at.desc(), Product.id.desc()).limit(limit)
    ))


def create_product(actor: Membership, *, name: str, category_id: int | None, description: str, sku: str,
                   price: int, weight_grams: int, variant_name: str = "", options: str = "") -> Product:
    """A new product is a draft with its first variant: it cannot be published without one."""
    product = catalog.create_product(actor.koperasi, name, category=_category(category_id), description=description)
    catalog.add_variant(product, sku, price, weight_grams, name=variant_name, options=catalog.parse_options(options))
    audit(actor, "product.create", product.name, product_id=product.id)
    return product


def update_product(actor: Membership, product: Product, *, name: str, category_id: int | None,
                   description: str) -> Product:
    catalog.update_product(product, name=name, category=_category(category_id), description=description)
    audit(actor, "product.update", product.name, product_id=product.id)
    return product


def add_variant(actor: Membership, product: Product, *, sku: str, price: int, weight_grams: int,
                variant_name: str = "", options: str = "") -> Variant:
    variant = catalog.add_variant(product, sku, price, weight_grams, name=variant_name,
                                  options=catalog.parse_options(options))
    audit(actor, "variant.create", f"{product.name} · {variant.sku}", product_id=product.id, variant_id=variant.id)
    return variant


def update_variant(actor: Membership, variant: Variant, *, sku: str, price: int, weight_grams: int,
                   variant_name: str = "", options: str = "", is_active: bool = True) -> Variant:
    before = {"sku": variant.sku, "price": variant.price, "weight_grams": variant.weight_grams}
    catalog.update_variant(variant, sku=sku, price=price, weight_grams=weight_grams, name=variant_name,
                           options=catalog.parse_options(options), is_active=is_active)
    after = {"sku": variant.sku, "price": variant.price, "weight_grams": variant.weight_grams}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    audit(actor, "variant.update", f"{variant.product.name} · {variant.sku}", variant_id=variant.id, changed=changed)
    return variant


def add_image(actor: Membership, product: Product, data: bytes) -> ProductImage:
    image = catalog_images.add_product_image(product, data)
    product_changed(product)  # the cover shown in search results may change
    audit(actor, "image.add", product.name, product_id=product.id, image_id=image.id)
    return image


def move_image(actor: Membership, product: Product, image: ProductImage, direction: str) -> None:
    catalog_images.move_product_image(product, image, -1 if direction == "up" else 1)
    product_changed(product)
    audit(actor, "image.move", product.name, product_id=product.id, image_id=image.id, direction=direction)


def delete_image(actor: Membership, product: Product, image: ProductImage) -> None:
    audit(actor, "image.delete", product.name, product_id=product.id, image_id=image.id)
    catalog_images.delete_product_image(product, image)
    product_changed(product)


def set_certification(actor: Membership, product: Product, kind: str, number: str, valid_until: date | None):
    cert = catalog.set_certification(product, CertificationKind(kind), number, valid_until)
    audit(actor, "certification.set", product.name, kind=kind, number=cert.number,
          valid_until=valid_until.isoformat() if valid_until else None)
    return cert


def remove_certification(actor: Membership, product: Product, certification_id: int) -> None:
    cert = catalog.certification_of_product(product, certification_id)
    audit(actor, "certification.remove", product.name, kind=cert.kind.value, number=cert.number)
    catalog.remove_certification(product, cert)


def change_status(actor: Membership, product: Product, status: str) -> Product:
    """Through ``services.change_product_status``, the one place the publishing rule is enforced."""
    try:
        wanted = ProductStatus(status)
    except ValueError:
        raise ValidationError(_("Status produk tidak dikenal.")) from None
    old = product.status
    catalog.change_product_status(product, wanted)
    audit(actor, "product.status", product.name, product_id=product.id, old=old.value, new=product.status.value)
    return product
