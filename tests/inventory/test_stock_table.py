"""The dashboard's stock table and low-stock list read availability from the same formula as the storefront and
checkout (``queries.free_stock``): holds count, expired holds and inactive warehouses do not."""

from datetime import timedelta

from marketplace.core.timeutil import utcnow
from marketplace.inventory import services as inventory
from marketplace.inventory import warehouses
from marketplace.inventory.queries import available_by_variant
from marketplace.inventory.stock_table import low_stock, stock_line, stock_table


def _low_skus(koperasi_id: int) -> set[str]:
    return {line.variant.sku for line in low_stock(koperasi_id, limit=50)[1]}


def test_low_stock_and_the_storefront_agree_on_what_is_available(db, make_stocked_product):
    product = make_stocked_product(stock=(10,))
    variant, koperasi = product.variants[0], product.koperasi
    shelf = inventory.create_warehouse(koperasi, "Toko Kota")
    inventory.set_stock(variant, shelf, 50)
    warehouses.update_warehouse(shelf, name=shelf.name, region_code=shelf.region_code, address="", is_active=False)
    inventory.reserve_stock("checkout-a", [inventory.LineRequest(variant.id, 3)])
    inventory.reserve_stock("checkout-old", [inventory.LineRequest(variant.id, 2)], now=utcnow() - timedelta(hours=1))
    assert available_by_variant([variant.id])[variant.id] == 7
    assert stock_line(variant)[1].available == 7
    assert stock_table(koperasi.id)[1].items[0].available == 7
    variant.low_stock_threshold = 6
    db.session.flush()
    assert variant.sku not in _low_skus(koperasi.id)
    variant.low_stock_threshold = 7
    db.session.flush()
    assert variant.sku in _low_skus(koperasi.id)
    inventory.reserve_stock("checkout-a", [inventory.LineRequest(variant.id, 1)])  # the buyer took fewer
    assert variant.sku not in _low_skus(koperasi.id)  # 9 available
