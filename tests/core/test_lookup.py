"""``owned_or_404``: a row of another koperasi is exactly as missing as a row that does not exist."""

import pytest

from marketplace.catalog.models import Product, Variant
from marketplace.core.errors import NotFound
from marketplace.core.lookup import owned_or_404
from marketplace.inventory.models import Warehouse
from marketplace.orders.models import Order


def test_own_rows_are_found_and_foreign_or_missing_ones_are_the_same_not_found(db, make_shop):
    shop, other = make_shop(), make_shop()
    assert owned_or_404(Product, shop.koperasi.id, shop.product.id) is shop.product
    assert owned_or_404(Order, shop.koperasi.id, shop.order.number, by="number").id == shop.order.id
    for model, key, by, message in [
        (Product, other.product.id, "id", "Produk tidak ditemukan."),
        (Variant, other.variant.id, "id", "Varian tidak ditemukan."),
        (Warehouse, other.warehouse.id, "id", "Gudang tidak ditemukan."),
        (Order, other.order.number, "number", "Pesanan tidak ditemukan."),
    ]:
        with pytest.raises(NotFound) as foreign:
            owned_or_404(model, shop.koperasi.id, key, by=by)
        with pytest.raises(NotFound) as missing:
            owned_or_404(model, shop.koperasi.id, 987654 if by == "id" else "OP-TIDAK-ADA", by=by)
        assert foreign.value.message == missing.value.message == message
