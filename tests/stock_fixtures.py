"""Fixtures for stock, carts and checkouts: products with stock in a warehouse, koperasi rate tables, a signed-in
buyer (the session is set directly: password hashing would cost a quarter second per user)."""

import pytest

from marketplace.checkout.shipping import set_rate_table, standard_rate_rows
from marketplace.inventory.models import MovementReason, Warehouse
from marketplace.inventory.services import create_warehouse, set_stock

ADDRESS = {
    "recipient": "Siti Aminah", "phone": "0812 3456 7890", "province": "Jawa Timur", "region_code": "kota-surabaya",
    "city": "", "district": "Wonokromo", "village": "Jagir", "street": "Jl. Jagir Wonokromo No. 5 RT 02/RW 03",
    "postal_code": "60244",
}


def warehouse_of(koperasi) -> Warehouse:
    from marketplace.extensions import db

    warehouse = db.session.scalar(db.select(Warehouse).where(Warehouse.koperasi_id == koperasi.id))
    if warehouse is None:
        warehouse = create_warehouse(koperasi, f"Gudang {koperasi.name}")
        set_rate_table(koperasi.id, standard_rate_rows())
    return warehouse


@pytest.fixture
def make_stocked_product(db, make_product):
    """make_stocked_product(stock=(10,), prices=(25000,), koperasi=None) -> product with one stock row per
    variant in the koperasi's warehouse."""

    def make(stock: tuple[int, ...] = (10,), prices: tuple[int, ...] | None = None, koperasi=None, **kwargs):
        product = make_product(koperasi=koperasi, prices=prices or (25000,) * len(stock), **kwargs)
        warehouse = warehouse_of(product.koperasi)
        for variant, quantity in zip(product.variants, stock, strict=True):
            set_stock(variant, warehouse, quantity, reason=MovementReason.INITIAL)
        return product

    return make


def sign_in(client, user) -> None:
    from flask import g

    g.pop("_login_user", None)  # requests share the test's app context, where Flask-Login caches the user
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def buyer(client, make_user):
    user = make_user(name="Siti Pembeli")
    sign_in(client, user)
    return user


def bare_order_line(variant, quantity: int, number: str):
    """An unpaid order with one line (no checkout), for tests that drive inventory directly."""
    from marketplace.extensions import db
    from marketplace.orders.models import Order, OrderLine

    order = Order(number=number, checkout_token=f"tok-{number}", koperasi_id=variant.koperasi_id, email="x@uji.test",
                  address={}, courier="jne", subtotal=variant.price * quantity, shipping_cost=0,
                  total=variant.price * quantity, weight_grams=variant.weight_grams * quantity)
    order.lines.append(OrderLine(variant_id=variant.id, product_name="x", sku=variant.sku, unit_price=variant.price,
                                 quantity=quantity, weight_grams=variant.weight_grams))
    db.session.add(order)
    db.session.flush()
    return order.lines[0]
