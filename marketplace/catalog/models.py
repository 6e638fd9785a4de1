from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


def _enum(cls):
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class ProductStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class CertificationKind(StrEnum):
    HALAL = "halal"
    PIRT = "pirt"
    BPOM = "bpom"


class Category(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped["Category | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Category"]] = relationship(back_populates="parent", order_by="Category.position")


class Product(db.Model):
    not_found_message = _l("Produk tidak ditemukan.")  # what ``core.lookup.owned_or_404`` says
    __table_args__ = (
        Index("ix_product_status_category", "status", "category_id"),
        Index("ix_product_koperasi_updated", "koperasi_id", "updated_at"),  # the seller's product list
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProductStatus] = mapped_column(_enum(ProductStatus), default=ProductStatus.DRAFT)
    is_flagship: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    koperasi = relationship("Koperasi")
    category: Mapped[Category | None] = relationship()
    variants: Mapped[list["Variant"]] = relationship(
        back_populates="product", order_by="Variant.position", cascade="all, delete-orphan"
    )
    images: Mapped[list["ProductImage"]] = relationship(
        back_populates="product", order_by="ProductImage.position", cascade="all, delete-orphan"
    )
    certifications: Mapped[list["Certification"]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )

    @property
    def price_range(self) -> tuple[int, int] | None:
        prices = [v.price for v in self.variants if v.is_active]
        return (min(prices), max(prices)) if prices else None

    @property
    def cover(self) -> "ProductImage | None":
        return self.images[0] if self.images else None

    def valid_certification(self, kind: CertificationKind, today: date | None = None) -> "Certification | None":
        today = today or date.today()
        for cert in self.certifications:
            if cert.kind == kind and (cert.valid_until is None or cert.valid_until >= today):
                return cert
        return None

    @property
    def is_halal(self) -> bool:
        return self.valid_certification(CertificationKind.HALAL) is not None


class Variant(db.Model):
    not_found_message = _l("Varian tidak ditemukan.")  # what ``core.lookup.owned_or_404`` says
    __table_args__ = (
        UniqueConstraint("koperasi_id", "sku"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("weight_grams > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    # Denormalised from the product so that a SKU is unique per koperasi in the database itself.
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120), default="")
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    price: Mapped[int]
    weight_grams: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Available units at or below this count put the variant on the koperasi's low-stock list.
    low_stock_threshold: Mapped[int] = mapped_column(default=5, server_default="5")

    product: Mapped[Product] = relationship(back_populates="variants")

    @property
    def label(self) -> str:
        return variant_label(self.name, self.options, self.sku)


def variant_label(name: str, options: dict | None, sku: str) -> str:
    """What a buyer reads for a variant: its name, else its options, else its SKU."""
    return name or ", ".join(f"{k}: {v}" for k, v in (options or {}).items()) or sku


class ProductImage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    path: Mapped[str] = mapped_column(String(300))
    thumb_path: Mapped[str] = mapped_column(String(300))
    width: Mapped[int]
    height: Mapped[int]
    alt: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="images")


class Certification(db.Model):
    __table_args__ = (UniqueConstraint("product_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    kind: Mapped[CertificationKind] = mapped_column(_enum(CertificationKind))
    number: Mapped[str] = mapped_column(String(64))
    valid_until: Mapped[date | None]

    product: Mapped[Product] = relationship(back_populates="certifications")

    @property
    def is_valid(self) -> bool:
        return self.valid_until is None or self.valid_until >= date.today()


class CatalogueVersion(db.Model):
    """Version counters of what buyers see, for cache keys: one row per product (``product``), per koperasi
    (``koperasi``: its profile and its products' cards), ``listing`` (any card or list membership) and ``all``
    (categories, pesantren). Bumped in the writing transaction just before commit, so a page read under a version
    never holds data older than that version."""

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    ref_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)
