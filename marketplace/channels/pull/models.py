"""Partner pushes as they arrived: stored before anything else happens, so a push answered is never lost (a worker
or a sweep processes it later) and a push delivered twice is stored once."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class ChannelEvent(db.Model):
    __table_args__ = (
        UniqueConstraint("platform", "dedupe_key"),
        Index("ix_channel_event_unprocessed", "processed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    # TikTok's tts_notification_id; for Shopee (no id) a digest of the raw body: a re-sent push is the same bytes.
    dedupe_key: Mapped[str] = mapped_column(String(128))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("channel_account.id"), index=True)
    shop_id: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(16), default="")  # Shopee push code, TikTok type
    external_order_id: Mapped[str] = mapped_column(String(64), default="")
    body: Mapped[str] = mapped_column(Text)  # the raw body, exactly as signed
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str] = mapped_column(String(300), default="")
