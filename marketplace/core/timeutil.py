from datetime import UTC, date, datetime

from flask_babel import format_datetime, get_timezone, to_user_timezone, to_utc

# What Indonesians call their zones; other zones show their own name.
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def utcnow() -> datetime:
    """Naive UTC, stored the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def zone_label() -> str:
    zone = get_timezone()
    name = getattr(zone, "key", None) or getattr(zone, "zone", None) or str(zone)
    return ZONE_LABELS.get(name, name)


def local_time(value: datetime | None, pattern: str = "dd-MM-yyyy HH:mm") -> str:
    """A stored (naive UTC) time as people here read it: in the one configured zone (BABEL_DEFAULT_TIMEZONE),
    with the zone's name, so a seller's page, a buyer's page and a mail never disagree about an hour."""
    if value is None:
        return ""
    return f"{format_datetime(value, pattern)} {zone_label()}"


def local_date(value: datetime) -> date:
    return to_user_timezone(value).date()


def local_day_start(day: date) -> datetime:
    """The naive UTC instant the local ``day`` begins."""
    return to_utc(datetime.combine(day, datetime.min.time()))
