"""A guest who presses Checkout learns why an account is needed and comes back to checkout, cart kept, whether
they log in or register (then sign in) on the way."""

from urllib.parse import urlsplit

from tests.factories import PASSWORD


def _guest_cart_to_login(client, product) -> str:
    client.post("/keranjang/tambah", data={"product": product.id, "variant": product.variants[0].id, "quantity": 2})
    to_login = client.get("/checkout/alamat")
    assert to_login.status_code == 302
    return to_login.location


def test_a_new_buyer_registers_and_lands_back_in_checkout_with_the_cart(client, make_stocked_product):
    product = make_stocked_product(name="Kopi Lanang")
    login_page = client.get(_guest_cart_to_login(client, product)).get_data(as_text=True)
    assert "Keranjang Anda tetap tersimpan" in login_page
    register_href = next(part.split('"')[0] for part in login_page.split('href="')[1:]
                         if part.startswith("/daftar?"))
    assert "next=" in register_href
    register_page = client.get(register_href.replace("&amp;", "&")).get_data(as_text=True)
    assert "Keranjang Anda tetap tersimpan" in register_page
    response = client.post(register_href.replace("&amp;", "&"), data={
        "name": "Siti Baru", "email": "siti.baru@contoh.id", "phone": "081234567890",
        "password": "rahasia123", "confirm": "rahasia123"})
    # Registration answers alike for a free and a taken email (issue 16), so the new buyer signs in next,
    # and the way back to checkout travels with them.
    assert response.status_code == 302 and urlsplit(response.location).path == "/masuk"
    assert "next=" in response.location
    signed_in = client.post(response.location, data={"email": "siti.baru@contoh.id", "password": "rahasia123"})
    assert signed_in.status_code == 302 and urlsplit(signed_in.location).path == "/checkout/alamat"
    assert "Kopi Lanang" in client.get("/keranjang").get_data(as_text=True)
    assert client.get("/checkout/alamat").status_code == 200


def test_an_existing_buyer_logs_in_and_lands_back_in_checkout(client, make_user, make_stocked_product):
    user = make_user(email="ada@contoh.id")
    login_url = _guest_cart_to_login(client, make_stocked_product(name="Madu Randu"))
    response = client.post(login_url, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and urlsplit(response.location).path == "/checkout/alamat"
    assert "Madu Randu" in client.get("/keranjang").get_data(as_text=True)


def test_a_plain_login_page_says_nothing_about_checkout(client):
    assert "Keranjang Anda tetap tersimpan" not in client.get("/masuk").get_data(as_text=True)
