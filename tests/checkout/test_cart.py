"""The cart as a buyer uses it: add from the product page, limits by stock, merge at login."""

from marketplace.checkout.models import Cart
from marketplace.extensions import db


def _add(client, product, quantity=1, variant=None, **extra):
    variant = variant or product.variants[0]
    return client.post("/keranjang/tambah", data={"product": product.id, "variant": variant.id,
                                                  "quantity": quantity, **extra})


def test_product_page_offers_add_to_cart_and_topbar_counts_items(client, make_stocked_product):
    product = make_stocked_product(stock=(7, 0), prices=(25000, 30000))
    page = client.get(f"/produk/{product.slug}").get_data(as_text=True)
    assert 'action="/keranjang/tambah"' in page and "Stok 7" in page and "Habis" in page
    assert _add(client, product, 2).status_code == 302
    assert _add(client, product, 1).status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert '<span class="cart-count">3</span>' in home
    cart = client.get("/keranjang").get_data(as_text=True)
    assert product.name in cart and "Rp 75.000" in cart


def test_quantity_is_limited_by_what_is_available(client, make_stocked_product):
    product = make_stocked_product(stock=(3, 0), prices=(25000, 30000))
    _add(client, product, 2)
    response = _add(client, product, 2)
    assert response.status_code == 302
    assert "Stok tidak cukup" in client.get("/keranjang").get_data(as_text=True)
    assert _add(client, product, 0).status_code == 302
    assert "Jumlah harus lebih dari 0" in client.get("/keranjang").get_data(as_text=True)
    _add(client, product, 1, variant=product.variants[1])
    assert "sedang habis" in client.get("/keranjang").get_data(as_text=True)
    cart = db.session.scalar(db.select(Cart))
    assert [(line.variant_id, line.quantity) for line in cart.lines] == [(product.variants[0].id, 2)]


def test_a_variant_of_another_product_cannot_be_slipped_in(client, make_stocked_product):
    mine, other = make_stocked_product(), make_stocked_product()
    response = _add(client, mine, 1, variant=other.variants[0])
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(Cart)) in (0, 1)
    assert not any(c.lines for c in db.session.scalars(db.select(Cart)))


def test_changing_and_removing_lines_and_foreign_lines_are_not_found(client, make_stocked_product):
    product = make_stocked_product(stock=(5,))
    _add(client, product, 1)
    line = db.session.scalar(db.select(Cart)).lines[0]
    client.post(f"/keranjang/baris/{line.id}", data={"quantity": "4"})
    assert line.quantity == 4
    client.post(f"/keranjang/baris/{line.id}", data={"quantity": "9"})
    db.session.refresh(line)
    assert line.quantity == 4
    stranger = client.application.test_client()
    assert stranger.post(f"/keranjang/baris/{line.id}", data={"quantity": "1"}).status_code == 302
    db.session.refresh(line)
    assert line.quantity == 4
    client.post(f"/keranjang/baris/{line.id}", data={"remove": "1"})
    assert db.session.scalar(db.select(Cart)).lines == []


def test_guest_cart_merges_into_the_account_at_login(client, login, make_user, make_stocked_product):
    product = make_stocked_product(stock=(10,))
    user = make_user(email="siti.aminah@pesantren.id")
    _add(client, product, 2)
    login(user)
    cart = db.session.scalar(db.select(Cart).where(Cart.user_id == user.id))
    assert [(line.variant_id, line.quantity) for line in cart.lines] == [(product.variants[0].id, 2)]
    assert '<span class="cart-count">2</span>' in client.get("/").get_data(as_text=True)
