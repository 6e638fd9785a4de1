from dataclasses import dataclass

from flask_babel import gettext as _

from marketplace.core.errors import DomainError


@dataclass(frozen=True)
class Shortage:
    variant_id: int
    label: str
    requested: int
    available: int


class InsufficientStock(DomainError):
    """One error for the whole request, listing every line that cannot be served."""

    code = "insufficient_stock"

    def __init__(self, shortages: list[Shortage]):
        self.shortages = shortages
        lines = "; ".join(
            _("%(label)s: diminta %(requested)s, tersedia %(available)s",
              label=s.label, requested=s.requested, available=s.available)
            for s in shortages
        )
        super().__init__(_("Maaf, stok tidak cukup — %(lines)s.", lines=lines))


class StockBelowAllocated(DomainError):
    code = "stock_below_allocated"
