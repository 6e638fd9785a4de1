from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.regions import region_label
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class VerificationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    SUSPENDED = "suspended"


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    CATALOG = "catalog"
    STOCK = "stock"
    ORDERS = "orders"
    FINANCE = "finance"


class Pesantren(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(180), unique=True)
    nspp: Mapped[str | None] = mapped_column(String(20))
    leader: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300), default="")
    region_code: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    koperasi: Mapped[list["Koperasi"]] = relationship(back_populates="pesantren")

    @property
    def region_label(self) -> str:
        return region_label(self.region_code)


class Koperasi(db.Model):
    __table_args__ = (CheckConstraint("length(nib) = 13", name="nib_13_digits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pesantren_id: Mapped[int] = mapped_column(ForeignKey("pesantren.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(180), unique=True)
    nib: Mapped[str] = mapped_column(String(13), unique=True)
    legal_entity_number: Mapped[str] = mapped_column(String(60))
    npwp: Mapped[str | None] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(300), default="")
    region_code: Mapped[str] = mapped_column(String(32), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[VerificationStatus] = mapped_column(
        Enum(VerificationStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=VerificationStatus.DRAFT,
        index=True,
    )
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pesantren: Mapped[Pesantren] = relationship(back_populates="koperasi")
    memberships: Mapped[list["Membership"]] = relationship(back_populates="koperasi", cascade="all, delete-orphan")

    @property
    def region_label(self) -> str:
        return region_label(self.region_code)

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED


class Membership(db.Model):
    not_found_message = _l("Anggota tidak ditemukan.")  # what ``core.lookup.owned_or_404`` says
    __table_args__ = (UniqueConstraint("user_id", "koperasi_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")
    koperasi: Mapped[Koperasi] = relationship(back_populates="memberships")


def _enum(cls):
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class Invitation(db.Model):
    """An invitation by email; the link carries a signed token naming this row, so revoking the row kills it."""

    not_found_message = _l("Undangan tidak ditemukan.")  # what ``core.lookup.owned_or_404`` says

    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(_enum(Role))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    koperasi = relationship("Koperasi")
    invited_by = relationship("User")

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class AuditEntry(db.Model):
    """One staff action in one koperasi, readable by its owner. Written in the same transaction as the action."""

    __table_args__ = (Index("ix_audit_entry_koperasi_created", "koperasi_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")
