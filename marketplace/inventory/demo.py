"""Demo step: a warehouse (gudang) per koperasi and stock for every variant through the inventory services (so
the ledger explains it)."""

from marketplace.inventory.models import MovementReason
from marketplace.inventory.services import create_warehouse, set_stock


def seed_inventory(koperasi, products, rng) -> None:
    warehouse = create_warehouse(koperasi, f"Gudang {koperasi.pesantren.name}", koperasi.region_code,
                                 koperasi.address)
    for product in products:
        for variant in product.variants:
            quantity = 0 if rng.random() < 0.08 else rng.choice([3, 5, 8, 12, 20, 35, 50, 80, 120])
            if quantity:
                set_stock(variant, warehouse, quantity, reason=MovementReason.INITIAL, note="Stok awal demo")
