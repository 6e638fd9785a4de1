"""Stock columns of the bulk file: one ``stok_<gudang>`` column per warehouse holding the on-hand count.
A blank cell leaves the stock alone. Counts go to ``inventory.levels.set_stock_levels`` (ledger reason "impor")."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from marketplace.bulk.format import STOCK_PREFIX, CellError
from marketplace.catalog.bulk import variant_ids_by_sku
from marketplace.core.numbers import MAX_STOCK
from marketplace.inventory.levels import set_stock_levels
from marketplace.inventory.models import MovementReason
from marketplace.inventory.queries import on_hand_by_warehouse
from marketplace.inventory.warehouses import stock_keys, warehouses_of
from marketplace.koperasi.models import Membership
from marketplace.koperasi.roles import can


def stock_export(koperasi_id: int) -> tuple[list[str], list[int], dict[tuple[int, int], int]]:
    """Column names, their warehouse ids, and on-hand counts by (variant id, warehouse id)."""
    keys = stock_keys(warehouses_of(koperasi_id))
    counts = {key: quantity for key, (quantity, _allocated) in on_hand_by_warehouse(koperasi_id).items()}
    return list(keys), [w.id for w in keys.values()], counts


@dataclass
class StockColumns:
    """Validates the stock cells row by row (as a ``plan_import`` hook) and applies them after the catalog."""

    koperasi_id: int
    may_change: bool
    columns: dict[str, int] = field(default_factory=dict)  # column -> warehouse id
    current: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # -> (quantity, allocated)
    wanted: dict[tuple[str, int], int] = field(default_factory=dict)  # (sku, warehouse id) -> count

    @classmethod
    def load(cls, actor: Membership, header: list[str]) -> tuple["StockColumns", list[CellError]]:
        keys = stock_keys(warehouses_of(actor.koperasi_id))
        columns, errors = {}, []
        for name in header:
            if not name.startswith(STOCK_PREFIX):
                continue
            if name in keys:
                columns[name] = keys[name].id
            else:
                errors.append(CellError(1, name, _("Tidak ada gudang untuk kolom \"%(name)s\". Kolom stok yang "
                                                   "dikenal: %(known)s.", name=name, known=", ".join(keys) or "-")))
        current = on_hand_by_warehouse(actor.koperasi_id, list(columns.values())) if columns else {}
        return cls(actor.koperasi_id, can(actor, "stock"), columns, current), errors

    def check_row(self, variant, row: int, cells: dict, errors: list[CellError]) -> None:
        for column, warehouse_id in self.columns.items():
            text = cells.get(column, "").strip().replace(".", "")
            if not text:
                continue
            try:
                count = int(text)
            except ValueError:
                errors.append(CellError(row, column, _("Stok \"%(text)s\" bukan bilangan bulat.", text=text)))
                continue
            if count < 0:
                errors.append(CellError(row, column, _("Stok tidak boleh negatif.")))
                continue
            if count > MAX_STOCK:
                errors.append(CellError(row, column, _("Stok maksimal %(max)s.", max=MAX_STOCK)))
                continue
            quantity, allocated = self.current.get((variant.id, warehouse_id), (0, 0)) if variant.id else (0, 0)
            if count == quantity:
                continue
            if not self.may_change:
                errors.append(CellError(row, column, _(
                    "Peran Anda tidak boleh mengubah stok; kosongkan kolom ini atau minta bagian stok.")))
            elif count < allocated:
                errors.append(CellError(row, column, _(
                    "Stok %(count)s lebih kecil dari jumlah yang sudah dipesan (%(allocated)s).",
                    count=count, allocated=allocated)))
            else:
                self.wanted[(variant.sku, warehouse_id)] = count

    def apply(self, actor: Membership) -> int:
        if not self.wanted:
            return 0
        ids = variant_ids_by_sku(self.koperasi_id, [sku for sku, _w in self.wanted])
        levels = {(ids[sku][0], warehouse_id): count for (sku, warehouse_id), count in self.wanted.items()}
        return set_stock_levels(self.koperasi_id, levels, reason=MovementReason.IMPORT, user_id=actor.user_id,
                                reference="impor", product_of={vid: pid for vid, pid in ids.values()})
