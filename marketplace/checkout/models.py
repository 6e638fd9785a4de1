from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class Courier(StrEnum):
    JNE = "jne"
    JNT = "jnt"
    SICEPAT = "sicepat"
    POS = "pos"


COURIER_NAMES = {
    Courier.JNE: "JNE", Courier.JNT: "J&T Express", Courier.SICEPAT: "SiCepat", Courier.POS: "Pos Indonesia"
}


class Zone(StrEnum):
    """Destination as the rate tables price it, seen from the koperasi's warehouse."""

    SAME_CITY = "dalam_kota"
    PROVINCE = "jatim"
    JAVA = "jawa_bali"
    OUTSIDE = "luar_jawa"


class Cart(db.Model):
    """A buyer's basket and, once they go to the cashier, their checkout. ``token`` is the checkout's identity:
    stock holds and the completed orders hang on it, so completing twice finds the same orders."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    address: Mapped[dict | None] = mapped_column(JSON)
    shipping_choices: Mapped[dict] = mapped_column(JSON, default=dict)  # koperasi id (str) -> courier code
    note: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lines: Mapped[list["CartLine"]] = relationship(back_populates="cart", cascade="all, delete-orphan",
                                                   order_by="CartLine.id")

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


class CartLine(db.Model):
    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id"), CheckConstraint("quantity > 0", name="quantity_positive")
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"))
    quantity: Mapped[int]
    price_when_added: Mapped[int]
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    cart: Mapped[Cart] = relationship(back_populates="lines")
    variant = relationship("Variant")


class Address(db.Model):
    """A buyer's saved delivery address (the order keeps its own copy)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(60))
    city: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str | None] = mapped_column(String(32))
    district: Mapped[str] = mapped_column(String(80))
    village: Mapped[str] = mapped_column(String(80))
    street: Mapped[str] = mapped_column(String(300))
    postal_code: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShippingRate(db.Model):
    """A koperasi's price list per courier and destination zone: first kilogram, then each further kilogram."""

    __table_args__ = (
        UniqueConstraint("koperasi_id", "courier", "zone"),
        CheckConstraint("first_kg >= 0 AND next_kg >= 0", name="prices_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    koperasi_id: Mapped[int] = mapped_column(ForeignKey("koperasi.id"), index=True)
    courier: Mapped[Courier] = mapped_column(
        Enum(Courier, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    zone: Mapped[Zone] = mapped_column(
        Enum(Zone, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    first_kg: Mapped[int]
    next_kg: Mapped[int]
    etd_days: Mapped[str] = mapped_column(String(16), default="")
