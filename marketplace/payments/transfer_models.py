"""What cash on delivery and manual bank transfers need stored: each koperasi's payment settings and the
buyers' transfer proofs."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class KoperasiPaymentSettings(db.Model):
    """A koperasi's own payment options: cash on delivery (with a maximum order value) and the bank account
    buyers transfer to. No row means neither."""

    __tablename__ = "koperasi_payment_settings"

    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), primary_key=True)
    cod_enabled: Mapped[bool] = mapped_column(default=False)
    cod_max_amount: Mapped[int | None]  # rupiah; None: no limit
    bank_name: Mapped[str | None] = mapped_column(String(60))
    bank_account_number: Mapped[str | None] = mapped_column(String(30))
    bank_account_holder: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[datetime | None]

    koperasi = relationship("Koperasi")

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_name and self.bank_account_number and self.bank_account_holder)


class TransferProof(db.Model):
    """A buyer's proof of a manual bank transfer: waiting → confirmed (the payment is paid) or rejected (with the
    reason; the buyer may upload again). At most one waits per payment."""

    __tablename__ = "transfer_proof"
    __table_args__ = (
        Index("uq_transfer_proof_waiting", "payment_id", unique=True,
              postgresql_where=text("status = 'waiting'"), sqlite_where=text("status = 'waiting'")),
    )
    not_found_message = _l("Bukti transfer tidak ditemukan.")  # what ``core.lookup.owned_or_404`` says

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    path: Mapped[str] = mapped_column(String(200))  # under the private proof directory, never under /media/
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int]
    amount: Mapped[int]  # what the buyer was asked to transfer
    status: Mapped[str] = mapped_column(String(16), default="waiting", index=True)  # waiting|confirmed|rejected
    reason: Mapped[str | None] = mapped_column(String(300))  # why it was rejected
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]

    payment = relationship("Payment")
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])
