"""The programme's records: cohorts (angkatan), a koperasi's application with its documents, every decision the
OPOP team takes on it, and the history of flagship (produk unggulan) marks. The koperasi's current verification
status and a product's current flagship flag stay on their own rows; these tables say who decided, when and why."""

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


def _enum(cls):
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class DecisionAction(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"


ACTION_LABELS = {
    DecisionAction.SUBMIT: _l("Mengajukan"),
    DecisionAction.APPROVE: _l("Disetujui"),
    DecisionAction.REJECT: _l("Ditolak"),
    DecisionAction.SUSPEND: _l("Dibekukan"),
    DecisionAction.REINSTATE: _l("Diaktifkan kembali"),
}


class DocumentKind(StrEnum):
    NIB = "nib"
    LEGAL = "badan_hukum"
    NPWP = "npwp"
    OTHER = "lainnya"


DOCUMENT_LABELS = {
    DocumentKind.NIB: _l("Dokumen NIB"),
    DocumentKind.LEGAL: _l("Akta/SK badan hukum"),
    DocumentKind.NPWP: _l("Kartu NPWP"),
    DocumentKind.OTHER: _l("Dokumen lain"),
}


class Cohort(db.Model):
    __tablename__ = "opop_cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Application(db.Model):
    """One per koperasi: what it declared when it applied (and re-applied after a rejection)."""

    __tablename__ = "opop_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), unique=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("opop_cohort.id"), index=True)
    # [{"role": "ketua", "name": "...", "phone": "+62..."}]: the officers the team may call.
    contacts: Mapped[list] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    koperasi = relationship("Koperasi")
    applicant = relationship("User")
    cohort: Mapped[Cohort | None] = relationship()
    documents: Mapped[list["ApplicationDocument"]] = relationship(
        back_populates="application", order_by="ApplicationDocument.id", cascade="all, delete-orphan"
    )


class ApplicationDocument(db.Model):
    __tablename__ = "opop_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("opop_application.id"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind))
    filename: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="documents")

    @property
    def kind_label(self) -> str:
        return str(DOCUMENT_LABELS[self.kind])


class Decision(db.Model):
    """Append-only log of status changes on a koperasi, with who and why."""

    __tablename__ = "opop_decision"
    __table_args__ = (Index("ix_opop_decision_koperasi_at", "koperasi_id", "decided_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"))
    action: Mapped[DecisionAction] = mapped_column(_enum(DecisionAction))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    decided_by = relationship("User")
    koperasi = relationship("Koperasi")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


class FlagshipMark(db.Model):
    """A period during which a product was flagship; open while ``unmarked_at`` is empty."""

    __tablename__ = "opop_flagship_mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    unmarked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    unmarked_at: Mapped[datetime | None] = mapped_column(index=True)
    unmark_note: Mapped[str] = mapped_column(Text, default="")

    product = relationship("Product")
    marked_by = relationship("User", foreign_keys=[marked_by_id])
