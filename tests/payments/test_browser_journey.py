"""The buyer's journey in a real browser on a 390x844 phone, against the app over HTTP and localstripe: search,
open a product, put two koperasi's products in the cart, pay with the test card on the payment page (which loads
localstripe's Stripe.js under the CSP), wait for the signed webhook, see "Dikemas"; each koperasi's staff ships
with a resi in their own browser and the buyer sees "Dikirim". The `journey` fixture (tests/live.py, shared with
the seller's and the OPOP journeys in tests/e2e) saves a screenshot of each person's page when the test fails."""

import itertools

import pytest

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.extensions import db
from marketplace.inventory.services import set_stock
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import Role
from tests.factories import PASSWORD, verified_koperasi
from tests.stock_fixtures import ADDRESS, warehouse_of

_n = itertools.count(1)


@pytest.fixture
def two_shops(live_app):
    n = next(_n)
    made = {}
    with live_app.app_context():
        for key, name, region, product_name in (("madu", "Kopontren Madu", "kab-malang", "Madu Hutan Journey"),
                                                ("kopi", "Kopontren Kopi", "kab-jember", "Kopi Lanang Journey")):
            koperasi = verified_koperasi(f"{name} {n}", region, f"{6100000000000 + n * 10 + len(made)}",
                                         pesantren_name=f"Pesantren {name} {n}",
                                         legal_entity_number=f"AHU-J{n}{key}")
            product = catalog.create_product(koperasi, f"{product_name} {n}", status=ProductStatus.PUBLISHED)
            variant = catalog.add_variant(product, f"J{n}-{key.upper()}", 45000, 300, name="250 gram")
            set_stock(variant, warehouse_of(koperasi), 10)
            staff = User(email=f"staf-{key}{n}@journey.opop.id", name=f"Staf {key}")
            staff.set_password(PASSWORD)
            db.session.add(staff)
            db.session.flush()
            koperasi_services.add_member(koperasi, staff, Role.ORDERS)
            made[key] = {"name": product.name, "slug": koperasi.slug, "staff": staff.email}
        buyer = User(email=f"pembeli{n}@journey.opop.id", name="Siti Journey")
        buyer.set_password(PASSWORD)
        db.session.add(buyer)
        db.session.commit()
        from marketplace.search.services import rebuild

        rebuild()
    made["buyer"] = f"pembeli{n}@journey.opop.id"
    return made


def _add_from_search(page, base, name):
    page.goto(base + "/")
    page.fill("form.search input[name=q]", name.split()[0] + " " + name.split()[1])
    with page.expect_navigation():
        page.press("form.search input[name=q]", "Enter")
    with page.expect_navigation():
        page.click(f"text={name}")
    with page.expect_navigation():
        page.click("button:has-text('+ Keranjang')")


def test_buyer_pays_two_koperasi_then_staff_ship_and_the_buyer_sees_it(journey, two_shops):
    base = journey.base
    page = journey.page(phone=True)
    journey.log_in(page, two_shops["buyer"])
    for key in ("madu", "kopi"):
        _add_from_search(page, base, two_shops[key]["name"])
    page.goto(f"{base}/keranjang")
    assert two_shops["madu"]["name"] in page.content() and two_shops["kopi"]["name"] in page.content()
    page.goto(f"{base}/checkout/alamat")
    for field in ("recipient", "phone", "district", "village", "street", "postal_code"):
        page.fill(f"[name={field}]", ADDRESS[field])
    page.select_option("select[name=region_code]", ADDRESS["region_code"])
    with page.expect_navigation():
        page.click("button:has-text('Lanjut ke pengiriman')")
    with page.expect_navigation():
        page.click("form[action$='/selesai'] button.btn")
    assert "/pembayaran/" in page.url
    page.wait_for_selector("#card-element input")  # localstripe's Stripe.js stand-in loaded under the CSP
    # localstripe's Stripe.js has no createPaymentMethod, so the card form cannot finish there; the page's
    # test-card button sends Stripe's pm_card_visa through the same server-side confirmation instead.
    with page.expect_navigation():
        page.click("button:has-text('Visa 4242')")
    page.wait_for_selector("[data-testid=paid]", timeout=20_000)  # the signed webhook arrived
    page.goto(f"{base}/pesanan")
    assert page.content().count("Dikemas") >= 2
    numbers = page.locator("a[href^='/pesanan/']").all_inner_texts()
    assert len([n for n in numbers if n.strip()]) >= 2

    for key in ("madu", "kopi"):
        desk = journey.page(phone=True)  # each koperasi's staff in their own browser
        journey.log_in(desk, two_shops[key]["staff"])
        desk.goto(f"{base}/seller/{two_shops[key]['slug']}/pesanan")
        with desk.expect_navigation():
            desk.locator("a[href*='/pesanan/OP']").first.click()
        desk.fill("input[name=tracking_number]", f"JNE{key.upper()}0012345")
        with desk.expect_navigation():
            desk.click("button:has-text('Kirim')")
        assert f"JNE{key.upper()}0012345" in desk.content()

    page.goto(f"{base}/pesanan")
    assert page.content().count("Dikirim") >= 2
