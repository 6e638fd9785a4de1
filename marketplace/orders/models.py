from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class OrderStatus(StrEnum):
    UNPAID = "belum_bayar"
    PACKING = "dikemas"
    SHIPPED = "dikirim"
    COMPLETED = "selesai"
    CANCELLED = "dibatalkan"
    REFUND_PENDING = "dana_diproses"
    REFUNDED = "dana_kembali"


STATUS_LABELS = {
    OrderStatus.UNPAID: _l("Belum bayar"),
    OrderStatus.PACKING: _l("Dikemas"),
    OrderStatus.SHIPPED: _l("Dikirim"),
    OrderStatus.COMPLETED: _l("Selesai"),
    OrderStatus.CANCELLED: _l("Dibatalkan"),
    OrderStatus.REFUND_PENDING: _l("Dana sedang dikembalikan"),
    OrderStatus.REFUNDED: _l("Dana dikembalikan"),
}


def _status_enum():
    return Enum(OrderStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class Order(db.Model):
    not_found_message = _l("Pesanan tidak ditemukan.")  # what ``core.lookup.owned_or_404`` says
    __table_args__ = (
        UniqueConstraint("checkout_token", "koperasi_id"),
        Index("ix_order_status_expires", "status", "payment_due_at"),
        CheckConstraint("total = subtotal + shipping_cost", name="total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    checkout_token: Mapped[str] = mapped_column(String(64), index=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(_status_enum(), default=OrderStatus.UNPAID)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[dict] = mapped_column(JSON)
    courier: Mapped[str] = mapped_column(String(16))
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    packed_at: Mapped[datetime | None]  # the koperasi marked the parcel packed (still "dikemas" until shipped)
    subtotal: Mapped[int]
    shipping_cost: Mapped[int]
    total: Mapped[int]
    weight_grams: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    payment_due_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]  # the money was received (for cash on delivery: when the koperasi got it)
    # Cash on delivery: "dikemas" before any money; the koperasi collects it when the parcel arrives.
    cash_on_delivery: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    koperasi = relationship("Koperasi")
    user = relationship("User")
    payment = relationship("Payment")
    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                    order_by="OrderLine.id")
    history: Mapped[list["OrderStatusChange"]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                             order_by="OrderStatusChange.id")
    partner: Mapped["PartnerOrder | None"] = relationship(back_populates="order", uselist=False,
                                                          cascade="all, delete-orphan")

    @property
    def channel(self) -> str | None:
        """The partner platform the order came from (``shopee``, ``tiktok``), None for our own checkout."""
        return self.partner.platform if self.partner else None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


class OrderLine(db.Model):
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"), index=True)
    product_name: Mapped[str] = mapped_column(String(200))
    variant_label: Mapped[str] = mapped_column(String(120), default="")
    sku: Mapped[str] = mapped_column(String(64))
    unit_price: Mapped[int]
    quantity: Mapped[int]
    weight_grams: Mapped[int]

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity


class OrderStatusChange(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[OrderStatus | None] = mapped_column(_status_enum())
    to_status: Mapped[OrderStatus] = mapped_column(_status_enum())
    note: Mapped[str] = mapped_column(String(300), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship(back_populates="history")

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.to_status])



class PartnerFlag(StrEnum):
    """Why staff must look at an imported partner order."""

    UNKNOWN_SKU = "unknown_sku"  # a line matched no variant: kept, never dropped
    OUT_OF_STOCK = "out_of_stock"  # the last unit went elsewhere first: cancelled on the partner side


class PartnerOrder(db.Model):
    """The partner side of an order imported from a marketplace. The unique (platform, external id) key is what
    makes an import exactly-once however many webhooks and polls deliver the same order."""

    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("channel_account.id"), index=True)
    partner_status: Mapped[str] = mapped_column(String(32))
    partner_updated_at: Mapped[int] = mapped_column(BigInteger)  # the platform's update_time (unix seconds)
    flag: Mapped[PartnerFlag | None] = mapped_column(
        Enum(PartnerFlag, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        index=True)
    unmatched: Mapped[list] = mapped_column(JSON, default=list)  # lines whose SKU matched nothing here
    cancel_requested_at: Mapped[datetime | None]  # out of stock: when we asked the platform to cancel
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    order: Mapped[Order] = relationship(back_populates="partner")
