"""Money is integer rupiah everywhere; people read it as ``Rp 25.000``."""

from babel.numbers import format_decimal


def format_rupiah(amount: int | None) -> str:
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {format_decimal(abs(int(amount)), locale='id_ID')}"
