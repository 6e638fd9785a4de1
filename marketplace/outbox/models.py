from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


class OutboxEvent(db.Model):
    """A side effect to run after commit ("stock of variant V changed"). Written in the same transaction as the
    change it describes, so a rollback leaves no event and a crash after commit loses none."""

    # AUTOINCREMENT on SQLite: ids never come back, so the highest id works as a catalogue version.
    __table_args__ = (Index("ix_outbox_event_pending", "dispatched_at", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
