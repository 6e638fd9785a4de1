"""Bounds for whole numbers that come from people. PostgreSQL's ``integer`` stops at 2^31-1 and SQLite overflows
on sums near 2^63: a number past these bounds must be a clear message (or "not found"), never a 500."""

MAX_DB_INT = 2**31 - 1
MAX_PRICE = 1_000_000_000  # rupiah per unit
MAX_WEIGHT_GRAMS = 1_000_000
MAX_STOCK = 10_000_000  # units of one variant in one warehouse
MAX_CART_QUANTITY = 1_000


def parse_int(text, default: int | None = None, *, minimum: int = 0, maximum: int = MAX_DB_INT) -> int | None:
    """The number in ``text`` if it is within the bounds, else ``default``."""
    try:
        value = int(str(text).strip())
    except (TypeError, ValueError):
        return default
    return value if minimum <= value <= maximum else default


def clamp_filter(value: int | None) -> int | None:
    """A price filter past the integer range means "no bound" (or nothing matches), never an overflow."""
    return None if value is None else min(value, MAX_DB_INT)


def is_db_int(value) -> bool:
    return isinstance(value, int) and -MAX_DB_INT - 1 <= value <= MAX_DB_INT
