"""What a Saleor checkout carries that the web checkout keeps elsewhere (the email and billing address typed by
the client, the payment the client created before completing), keyed by the cart's token."""

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class ApiCheckoutState(db.Model):
    __tablename__ = "api_checkout_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_token: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    billing_address: Mapped[dict | None] = mapped_column(JSON)
    payment_gateway: Mapped[str | None] = mapped_column(String(64))
    payment_token: Mapped[str | None] = mapped_column(String(200))
    payment_amount: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
