"""In a real browser on a phone: picking another courier changes the koperasi's "Subtotal + ongkir" line as well as
the grand total (the line kept the first courier's price)."""

from marketplace.core.money import format_rupiah
from tests.payments.test_stripe_end_to_end import _shop
from tests.stock_fixtures import ADDRESS, sign_in


def test_the_koperasi_line_follows_the_courier_picked(live_app, phone):
    app = live_app
    shop = _shop(app)
    client = app.test_client()
    with app.app_context():
        from marketplace.accounts.models import User
        from marketplace.extensions import db

        sign_in(client, db.session.get(User, shop["buyer"]))
    client.post("/keranjang/tambah", data={"product": shop["product"], "variant": shop["variant"], "quantity": 1})
    client.post("/checkout/alamat", data=ADDRESS)
    base = app.config["PUBLIC_BASE_URL"]
    phone.context.add_cookies([{"name": "session", "value": client.get_cookie("session").value, "url": base}])
    phone.goto(f"{base}/checkout")
    radios = phone.locator('input[type="radio"][name^="kurir_"]')
    assert radios.count() >= 2
    prices = set()
    for index in range(radios.count()):
        radio = radios.nth(index)
        radio.check()
        price = int(radio.get_attribute("data-price"))
        prices.add(price)
        ongkir = phone.locator("[data-ongkir]").first.inner_text()
        assert ongkir.replace("\xa0", " ") == format_rupiah(price)
    assert len(prices) >= 2  # the check moved between different prices
