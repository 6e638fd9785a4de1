from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC, stored the same on SQLite and PostgreSQL."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
