"""In a real browser on a phone: choosing a province switches the kabupaten/kota field (East Java's list or a
typed name) without a round trip. Lives beside the other live-server browser tests (fixture ``live_app``)."""

from tests.payments.test_stripe_end_to_end import _shop
from tests.stock_fixtures import sign_in


def test_the_province_decides_which_kabupaten_field_is_shown(live_app, phone):
    app = live_app
    shop = _shop(app)
    client = app.test_client()
    with app.app_context():
        from marketplace.accounts.models import User
        from marketplace.extensions import db

        sign_in(client, db.session.get(User, shop["buyer"]))
    client.post("/keranjang/tambah", data={"product": shop["product"], "variant": shop["variant"], "quantity": 1})
    base = app.config["PUBLIC_BASE_URL"]
    phone.context.add_cookies([{"name": "session", "value": client.get_cookie("session").value, "url": base}])
    phone.goto(f"{base}/checkout/alamat")
    phone.select_option("#province", "Jawa Timur")
    assert phone.is_visible("#region_code") and not phone.is_visible("#city")
    phone.select_option("#province", "Bali")
    assert phone.is_visible("#city") and not phone.is_visible("#region_code")
    phone.select_option("#province", "Jawa Timur")
    assert phone.is_visible("#region_code") and not phone.is_visible("#city")
