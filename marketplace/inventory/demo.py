"""Demo step: a warehouse (gudang) per koperasi, stock for every variant through the inventory services (so the
ledger explains it), and a shipping rate table per koperasi."""

from marketplace.checkout.shipping import set_rate_table, standard_rate_rows
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
    set_rate_table(koperasi.id, standard_rate_rows(scale=0.9 + rng.random() * 0.3))
