from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class MovementReason(StrEnum):
    """Why a stock row changed; the words a koperasi uses when it audits its stock."""

    INITIAL = "initial"
    ADJUSTMENT = "adjustment"
    IMPORT = "import"
    SALE = "sale"  # an order allocated (quantity_allocated up)
    FULFILMENT = "fulfilment"  # shipped: units leave the warehouse (quantity and allocated down)
    CANCEL = "cancel"  # allocation released before shipping
    RETURN = "return"
    PARTNER_ORDER = "partner_order"


class Warehouse(db.Model):
    not_found_message = _l("Gudang tidak ditemukan.")  # what ``core.lookup.owned_or_404`` says
    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    region_code: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(300), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    koperasi = relationship("Koperasi")


class Stock(db.Model):
    __table_args__ = (
        UniqueConstraint("warehouse_id", "variant_id"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("quantity_allocated >= 0", name="allocated_not_negative"),
        CheckConstraint("quantity_allocated <= quantity", name="allocated_within_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouse.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"), index=True)
    quantity: Mapped[int] = mapped_column(default=0)
    quantity_allocated: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    warehouse: Mapped[Warehouse] = relationship()
    variant = relationship("Variant")


class Reservation(db.Model):
    """A checkout's hold on stock while the buyer fills in the address; ignored once expired."""

    __table_args__ = (
        Index("ix_reservation_stock_expires", "stock_id", "expires_at"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_token: Mapped[str] = mapped_column(String(64), index=True)
    stock_id: Mapped[int] = mapped_column(ForeignKey("stock.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"))
    quantity: Mapped[int]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Allocation(db.Model):
    """Units of one stock row promised to one order line."""

    __table_args__ = (
        UniqueConstraint("order_line_id", "stock_id"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id"), index=True)
    stock_id: Mapped[int] = mapped_column(ForeignKey("stock.id"), index=True)
    quantity: Mapped[int]

    stock: Mapped[Stock] = relationship()


class StockMovement(db.Model):
    """Append-only ledger: per stock row, the movements' sums equal quantity and quantity_allocated."""

    __table_args__ = (Index("ix_stock_movement_stock_id_id", "stock_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stock_id: Mapped[int] = mapped_column(ForeignKey("stock.id"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"), index=True)
    quantity_delta: Mapped[int] = mapped_column(default=0)
    allocated_delta: Mapped[int] = mapped_column(default=0)
    reason: Mapped[MovementReason] = mapped_column(
        Enum(MovementReason, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    reference: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
