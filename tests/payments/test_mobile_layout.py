"""The buyer's cart, checkout, payment and order pages at 390 px: a real browser (Debian's Chromium) finds no
horizontal scrolling."""

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.payments.test_stripe_end_to_end import _checkout, _shop
from tests.stock_fixtures import ADDRESS, sign_in


def test_buyer_pages_fit_a_390px_phone(live_app, browser):
    app = live_app
    shop = _shop(app)
    client, token = _checkout(app, shop)
    client.post("/keranjang/tambah", data={"product": shop["product"], "variant": shop["variant"], "quantity": 1})
    client.post("/checkout/alamat", data=ADDRESS)  # so that /checkout shows the courier choice, not a redirect
    client.get(f"/pembayaran/{token}")
    with app.app_context():
        number = db.session.scalar(select(Order.number).where(Order.checkout_token == token))
    cookie = client.get_cookie("session").value
    seller = app.test_client()
    with app.app_context():
        sign_in(seller, db.session.get(User, shop["seller"]))
    seller.get("/")
    seller_cookie = seller.get_cookie("session").value
    base = app.config["PUBLIC_BASE_URL"]
    pages = [f"/produk/{shop['product_slug']}", "/keranjang", "/checkout/alamat", "/checkout",
             f"/pembayaran/{token}", "/pesanan", f"/pesanan/{number}"]
    seller_pages = [f"/seller/{shop['slug']}/pesanan", f"/seller/{shop['slug']}/pesanan/{number}",
                    f"/seller/{shop['slug']}/stok", f"/seller/{shop['slug']}/stok/{shop['variant']}"]
    for session_cookie, paths in ((cookie, pages), (seller_cookie, seller_pages)):
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
        context.add_cookies([{"name": "session", "value": session_cookie, "url": base}])
        page = context.new_page()
        for path in paths:
            response = page.goto(base + path)
            assert response.status == 200, path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
            if path == "/checkout":  # picking a dearer courier updates the total shown
                before = page.inner_text("#grand-total")
                page.locator('input[name^="kurir_"]').nth(1).check()
                after = page.inner_text("#grand-total")
                assert after != before and after.startswith("Rp ")
        context.close()
