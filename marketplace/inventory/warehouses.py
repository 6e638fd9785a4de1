"""Warehouses (gudang) of a koperasi: the pesantren itself, a shop in town. Creating one is in ``services``."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from marketplace.core.errors import ValidationError
from marketplace.core.regions import REGIONS_BY_CODE
from marketplace.extensions import db
from marketplace.inventory.models import Stock, Warehouse


def warehouses_of(koperasi_id: int, active_only: bool = False) -> list[Warehouse]:
    query = select(Warehouse).where(Warehouse.koperasi_id == koperasi_id)
    if active_only:
        query = query.where(Warehouse.is_active.is_(True))
    return list(db.session.scalars(query.order_by(Warehouse.id)))


def update_warehouse(warehouse: Warehouse, *, name: str, region_code: str, address: str, is_active: bool) -> Warehouse:
    """A warehouse that still holds units promised to orders cannot be switched off: those parcels ship from it."""
    if not name.strip():
        raise ValidationError(_("Nama gudang wajib diisi."), field="name")
    if region_code not in REGIONS_BY_CODE:
        raise ValidationError(_("Kabupaten/kota tidak dikenal."), field="region_code")
    if warehouse.is_active and not is_active:
        promised = db.session.scalar(
            select(func.coalesce(func.sum(Stock.quantity_allocated), 0)).where(Stock.warehouse_id == warehouse.id)
        )
        if promised:
            raise ValidationError(
                _("Gudang ini masih menyimpan %(n)s unit untuk pesanan yang belum dikirim.", n=promised),
                field="is_active",
            )
    warehouse.name, warehouse.region_code, warehouse.address = name.strip(), region_code, address.strip()
    warehouse.is_active = is_active
    db.session.flush()
    return warehouse


def stock_keys(warehouses: list[Warehouse]) -> dict[str, Warehouse]:
    """Column names for the bulk file (``stok_<name>``), unique within the koperasi and stable while the name is."""
    from slugify import slugify

    keys: dict[str, Warehouse] = {}
    for warehouse in warehouses:
        key = "stok_" + (slugify(warehouse.name, separator="_")[:40] or "gudang")
        if key in keys:
            key = f"{key}_{warehouse.id}"
        keys[key] = warehouse
    return keys
