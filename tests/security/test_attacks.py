"""The attack suite: script in names and descriptions, SQL-ish and template-injection strings in every form, and
one buyer reaching for another's order, payment or cart. (Open redirects, forged cookies and webhooks, throttling
and hostile numbers have their own files here; cross-koperasi access is walked route by route in
tests/seller/test_tenancy.py.)"""

import io
import re

from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from tests.factories import PASSWORD
from tests.seller_fixtures import make_paid_order, png_bytes

XSS_NAME = "Kopi <script>alert('nama')</script><img src=x onerror=alert(1)>"
XSS_DESCRIPTION = ("<p>Enak</p><script>alert('desk')</script><img src=x onerror=alert(2)>"
                   "<a href=\"javascript:alert(3)\">klik</a><svg onload=alert(4)></svg>"
                   "<iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>")
SSTI = "{{ 1337*1337 }}{% if 1 %}x{% endif %}${1337*1337}<%= 1337*1337 %>#{1337*1337}"
SQLISH = "' OR '1'='1' -- ; DROP TABLE product; /* \" `"
EVALUATED = str(1337 * 1337)


def _dangerous(html: str) -> list[str]:
    found = []
    for pattern in (r"<script>alert", r"<img[^>]*onerror", r"href=\"javascript:", r"<svg[^>]*onload", r"<iframe",
                    r"<style>body"):
        if re.search(pattern, html, re.IGNORECASE):
            found.append(pattern)
    return found


def test_script_in_product_name_and_description_never_runs(client, db, login, make_shop):
    shop = make_shop()
    product = catalog.create_product(shop.koperasi, XSS_NAME, description=XSS_DESCRIPTION,
                                     status=ProductStatus.PUBLISHED)
    catalog.add_variant(product, "XSS-1", 10000, 100, name="<b onmouseover=alert(5)>v</b>")
    db.session.commit()
    pages = [f"/produk/{product.slug}", "/produk", "/cari?q=kopi", f"/koperasi/{shop.koperasi.slug}",
             f"/cari?q={XSS_NAME}"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert _dangerous(html) == [], path
    assert "&lt;script&gt;" in client.get(f"/produk/{product.slug}").get_data(as_text=True)
    login(shop.owner)
    for path in (f"/seller/{shop.koperasi.slug}/produk", f"/seller/{shop.koperasi.slug}/produk/{product.id}",
                 f"/seller/{shop.koperasi.slug}/stok/"):
        assert _dangerous(client.get(path).get_data(as_text=True)) == [], path


def _url_values(shop) -> dict:
    return {**shop.ids(), "koperasi_id": shop.koperasi.id, "line_id": 1, "slug": shop.koperasi.slug,
            "number": shop.order.number, "category_id": 1, "token": "tok-x", "fmt": "csv", "lang": "id",
            "platform": "shopee"}


def _payload(text: str) -> dict:
    fields = ["name", "email", "password", "confirm", "phone", "description", "sku", "variant_name", "options",
              "price", "weight_grams", "number", "note", "reason", "address", "street", "recipient", "postal_code",
              "region_code", "q", "tracking_number", "courier", "role", "status", "mode", "quantity", "threshold",
              "variant", "warehouse", "product", "kind", "valid_until", "city", "district", "category_id",
              "subtotal_seen", "action", "payment_method"]
    return {field: text for field in fields}


def test_injection_strings_in_every_form_are_plain_text(app, client, db, login, make_shop):
    """Every POST route of the app, as a logged-in owner, with SQL-ish and template-injection strings in every
    field a form reads: never a 500, and the template expression is never evaluated anywhere it is shown."""
    shop = make_shop()
    login(shop.owner)
    client.post("/keranjang/tambah", data={"variant": shop.variant.id, "quantity": 1})
    posts = [r for r in app.url_map.iter_rules() if "POST" in (r.methods or ()) and "webhook" not in r.rule
             and r.endpoint not in ("accounts.logout",)]
    assert len(posts) > 30
    seen, values = [], _url_values(shop)
    slug, product_slug = shop.koperasi.slug, shop.product.slug
    for text in (SQLISH, SSTI):
        for rule in posts:
            path = rule.build({name: values.get(name, "x") for name in rule.arguments}, append_unknown=False)[1]
            response = client.post(path, data={**_payload(text), "image": (io.BytesIO(png_bytes()), "a.png"),
                                               "file": (io.BytesIO(b"nama_produk,sku,harga,berat_gram\n"), "a.csv")},
                                   content_type="multipart/form-data")
            assert response.status_code < 500, (rule.rule, response.status_code)
            seen.append(response.get_data(as_text=True))
        client.post("/masuk", data={"email": shop.owner.email, "password": PASSWORD})  # in case a form logged out
    for path in ("/akun", f"/seller/{slug}/produk", f"/seller/{slug}/anggota", f"/seller/{slug}/gudang",
                 f"/produk/{product_slug}", "/keranjang"):
        seen.append(client.get(path).get_data(as_text=True))
    assert not [page for page in seen if EVALUATED in page]


def test_a_buyer_cannot_reach_another_buyers_order_payment_or_cart(app, client, db, make_user, make_shop):
    shop = make_shop()
    victim, attacker = make_user(), make_user()
    order = make_paid_order(shop.variant, 1, paid=False)
    order.user_id = victim.id
    db.session.commit()
    victim_client = app.test_client()
    victim_client.post("/masuk", data={"email": victim.email, "password": PASSWORD})
    victim_client.post("/keranjang/tambah", data={"variant": shop.variant.id, "quantity": 1})
    from marketplace.checkout.models import Cart, CartLine

    line = db.session.scalar(db.select(CartLine).join(Cart).where(Cart.user_id == victim.id))
    client.post("/masuk", data={"email": attacker.email, "password": PASSWORD})
    assert client.get(f"/pesanan/{order.number}").status_code == 404
    assert client.post(f"/pesanan/{order.number}/batal").status_code == 404
    assert client.get(f"/pembayaran/{order.checkout_token}").status_code == 404
    before = line.quantity
    assert client.post(f"/keranjang/baris/{line.id}", data={"quantity": "7"}).status_code in (302, 404)
    db.session.refresh(line)
    assert line.quantity == before
    db.session.refresh(order)
    assert order.status.value == "unpaid" or order.status.name == "UNPAID"
