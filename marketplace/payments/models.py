from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class PaymentStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # the last attempt failed; the buyer may try another card until the orders expire
    CANCELLED = "cancelled"


class Payment(db.Model):
    """One payment for the whole cart (all the koperasi orders of one checkout)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_token: Mapped[str] = mapped_column(String(64), unique=True)
    gateway: Mapped[str] = mapped_column(String(16), default="stripe")
    # What the buyer picked (payments.methods): None until then; the card form needs no pick.
    method: Mapped[str | None] = mapped_column(String(24))
    # What the buyer needs to finish paying with that method (VA number, QR string, expiry, bank account...).
    details: Mapped[dict | None] = mapped_column(JSON)
    amount: Mapped[int]  # rupiah
    currency: Mapped[str] = mapped_column(String(3), default="idr")
    status: Mapped[PaymentStatus] = mapped_column(
        Enum(PaymentStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=PaymentStatus.PENDING,
    )
    intent_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    client_secret: Mapped[str | None] = mapped_column(String(200))
    failure_message: Mapped[str | None] = mapped_column(String(300))
    refunded_amount: Mapped[int] = mapped_column(default=0)
    attempt: Mapped[int] = mapped_column(default=1)  # a new intent after a declined card (part of its key)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded_at: Mapped[datetime | None]


class PaymentEvent(db.Model):
    """Each gateway event exactly once: stored by its id before it has any effect."""

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(120), unique=True)
    type: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(40), default="")


class Refund(db.Model):
    """A refund of one order, asked for in the cancelling transaction and carried out by a task after commit:
    pending → succeeded, or failed (with the gateway's message, for staff) and retried."""

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(db.ForeignKey("payment.id"), index=True)
    order_id: Mapped[int] = mapped_column(db.ForeignKey("order.id"), unique=True)
    amount: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="pending", server_default="succeeded")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(500))
    gateway_refund_id: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]


class GatewayCharge(db.Model):
    """One charge at the Midtrans-shaped gateway (a VA number or a QR code). A payment may have several: switching
    methods opens a new charge and cancels the old one. Every charge's money is accounted for: the one that paid
    the payment is ``outcome="paid"``; one settled after another already paid (a superseded VA the buyer paid
    anyway) is ``outcome="surplus"`` and goes back (``refund_status``)."""

    __tablename__ = "gateway_charge"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(db.ForeignKey("payment.id"), index=True)
    gateway: Mapped[str] = mapped_column(String(16), default="midtrans")
    order_ref: Mapped[str] = mapped_column(String(64), unique=True)  # the gateway's order_id (one per attempt)
    transaction_id: Mapped[str | None] = mapped_column(String(64), index=True)
    method: Mapped[str] = mapped_column(String(24))  # our method code: va_bca, qris, ...
    amount: Mapped[int]  # rupiah
    status: Mapped[str] = mapped_column(String(24), default="pending")  # the gateway's transaction_status
    outcome: Mapped[str | None] = mapped_column(String(16))  # None | paid | surplus
    refund_status: Mapped[str | None] = mapped_column(String(16))  # surplus only: pending | refunded | manual | failed
    last_error: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    settled_at: Mapped[datetime | None]
