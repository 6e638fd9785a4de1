"""What the phone screenshots of issue 15 showed on the buyer's side (docs/screenshots/take.py): the cart line
named the shipping weight as a bare second weight ("100 g · 120 g"), and "Pesanan saya" put a regular buyer's
whole history (up to 200 orders, 38,000 px on a phone) on one page."""

import re

from tests.seller_fixtures import make_paid_order


def visible_text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_the_cart_line_names_the_shipping_weight(client, make_stocked_product):
    product = make_stocked_product(stock=(5,))  # "Varian 1", 250 g
    client.post("/keranjang/tambah", data={"product": product.id, "variant": product.variants[0].id, "quantity": 1})
    page = visible_text(client.get("/keranjang"))
    assert "Varian 1 · berat kirim 250 g" in page and "· 250 g" not in page


def test_a_buyers_order_history_comes_a_page_at_a_time(client, db, buyer, make_stocked_product):
    product = make_stocked_product(stock=(50,))
    numbers = []
    for n in range(23):
        order = make_paid_order(product.variants[0], 1, number=f"OPHAL{n:05d}")
        order.user_id = buyer.id
        numbers.append(order.number)
    db.session.commit()
    first = visible_text(client.get("/pesanan"))
    assert sum(number in first for number in numbers) == 20
    assert "Halaman 1 dari 2" in first
    second = visible_text(client.get("/pesanan?hal=2"))
    assert sum(number in second for number in numbers) == 3 and "Halaman 2 dari 2" in second
    assert visible_text(client.get("/pesanan?hal=9")).count("OPHAL") == 0
