"""A buyer pays a two-koperasi cart by cash on delivery in a real browser on a 390x844 phone: picks "Bayar di
tempat (COD)" on the payment page, sees "Dikemas", then "Bayar di tempat" in the order list. With
$OPOP_SCREENSHOTS_DIR set, the order list is saved as phone-cod.png there (docs/screenshots/ keeps one copy).
The `journey` fixture (tests/live.py) keeps a screenshot of the page when the test fails."""

import itertools
import os
from pathlib import Path

import pytest

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.extensions import db
from marketplace.inventory.services import set_stock
from marketplace.payments.transfer_models import KoperasiPaymentSettings
from tests.factories import PASSWORD, verified_koperasi
from tests.stock_fixtures import ADDRESS, warehouse_of

_n = itertools.count(1)


@pytest.fixture
def cod_shops(live_app):
    n = next(_n)
    slugs = []
    with live_app.app_context():
        for index, (name, region, product_name) in enumerate((
                ("Koppontren Sidogiri COD", "kab-pasuruan", "Kurma Ajwa COD"),
                ("Koppontren Tebuireng COD", "kab-jombang", "Sarung Tenun COD"))):
            koperasi = verified_koperasi(f"{name} {n}", region, f"{6300000000000 + n * 10 + index}",
                                         pesantren_name=f"Pesantren {name} {n}", legal_entity_number=f"AHU-C{n}{index}")
            product = catalog.create_product(koperasi, f"{product_name} {n}", status=ProductStatus.PUBLISHED)
            variant = catalog.add_variant(product, f"COD{n}-{index}", 65000, 500, name="1 pak")
            set_stock(variant, warehouse_of(koperasi), 10)
            db.session.add(KoperasiPaymentSettings(koperasi_id=koperasi.id, cod_enabled=True, cod_max_amount=500000))
            slugs.append(product.slug)
        email = f"pembeli-cod{n}@journey.opop.id"
        buyer = User(email=email, name="Siti COD")
        buyer.set_password(PASSWORD)
        db.session.add(buyer)
        db.session.commit()
    return {"products": slugs, "buyer": email}


def test_buyer_pays_a_cart_by_cod_on_a_phone(journey, cod_shops):
    base = journey.base
    page = journey.page(phone=True)
    journey.log_in(page, cod_shops["buyer"])
    for slug in cod_shops["products"]:
        page.goto(f"{base}/produk/{slug}")
        with page.expect_navigation():
            page.click("button:has-text('+ Keranjang')")
    page.goto(f"{base}/checkout/alamat")
    for field in ("recipient", "phone", "district", "village", "street", "postal_code"):
        page.fill(f"[name={field}]", ADDRESS[field])
    page.select_option("select[name=region_code]", ADDRESS["region_code"])
    with page.expect_navigation():
        page.click("button:has-text('Lanjut ke pengiriman')")
    with page.expect_navigation():
        page.click("form[action$='/selesai'] button.btn")
    assert "/pembayaran/" in page.url
    cod_button = page.locator("button[data-method=cod]")
    assert cod_button.is_enabled() and "Bayar di tempat" in cod_button.inner_text()
    with page.expect_navigation():
        cod_button.click()
    page.wait_for_selector("[data-testid=cod-placed]")
    assert page.content().count("Dikemas") >= 2
    page.goto(f"{base}/pesanan")
    cards = page.locator("article.order-card")
    assert cards.count() == 2
    for i in range(2):
        text = cards.nth(i).inner_text()
        assert "Dikemas" in text and "Bayar di tempat" in text and "Bayar sekarang" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing pushes the page sideways
    if os.environ.get("OPOP_SCREENSHOTS_DIR"):
        target = Path(os.environ["OPOP_SCREENSHOTS_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / "phone-cod.png"), full_page=True)
    # Leave no mail pending in the shared live app: a later test that dispatches and counts its own mails would
    # otherwise see this test's mail delivered (eagerly, committing) in the middle of its dispatch.
    with journey.app.app_context():
        from marketplace.outbox.services import dispatch_pending

        while dispatch_pending():
            db.session.commit()
        db.session.commit()
