"""Seller-side records: member invitations, the staff audit log and bulk import jobs."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Enum, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.koperasi.models import Role


def _enum(cls):
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class Invitation(db.Model):
    """An invitation by email; the link carries a signed token naming this row, so revoking the row kills it."""

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


class ImportStatus(StrEnum):
    PENDING = "pending"
    VALIDATING = "validating"
    APPLYING = "applying"
    FAILED = "failed"
    DONE = "done"


class ImportJob(db.Model):
    """A bulk catalog import too large for one request: the file waits here for a worker, which records
    progress while validating and the outcome (per-row errors or a summary) at the end."""

    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[ImportStatus] = mapped_column(_enum(ImportStatus), default=ImportStatus.PENDING)
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.FAILED):
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
