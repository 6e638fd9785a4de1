"""The demo's walk in a browser: a koperasi connected to both sandboxes (`connect-demo`, real authorisation), a
buyer orders on the Shopee sandbox, the sandbox pushes to our live server, the order shows on the koperasi's order
desk with its channel, stock here drops, and — once the worker's part has run — the TikTok Shop sandbox's page and
our sync log show the new value."""

import time

from sqlalchemy import select

from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.channels import push
from marketplace.channels.models import ChannelAccount, ChannelListing
from marketplace.channels.pull.demo import DEMO_SHOPS, connect_demo
from marketplace.demo.sandboxes import seed_sandbox
from marketplace.extensions import db
from marketplace.inventory.services import create_warehouse, set_stock
from marketplace.orders.models import PartnerOrder
from marketplace.outbox.services import dispatch_pending
from tests.factories import PASSWORD, verified_koperasi

EMAIL = "pemilik.kanal@uji.opop.id"


def _wait(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_shopee_order_lowers_stock_here_and_on_tiktok(live_app, live_server, browser, monkeypatch,
                                                       shopee_sandbox, tiktok_sandbox):
    monkeypatch.setitem(live_app.config, "SHOPEE_BASE_URL", shopee_sandbox.base_url)
    monkeypatch.setitem(live_app.config, "TIKTOK_BASE_URL", tiktok_sandbox.base_url)
    with live_app.app_context():
        koperasi = verified_koperasi("Koppontren Kanal Uji", "kab-jember", "9100000000888",
                                     legal_entity_number="AHU-0888", owner_email=EMAIL)
        product = catalog.create_product(koperasi, "Madu Hutan Jember", status=ProductStatus.PUBLISHED)
        variant = catalog.add_variant(product, "MADU-KANAL-250", 45000, 300, name="250 ml")
        set_stock(variant, create_warehouse(koperasi, "Gudang Pondok"), 8)
        db.session.commit()
        slug, variant_id, sku = koperasi.slug, variant.id, variant.sku
        for platform, sandbox in (("shopee", shopee_sandbox), ("tiktok", tiktok_sandbox)):
            seed_sandbox(platform, sandbox.base_url, wait=5, koperasi_id=koperasi.id)
        connect_demo(live_server, wait=10, koperasi_id=koperasi.id)
        tiktok_id = db.session.scalar(select(ChannelAccount.id).where(ChannelAccount.platform == "tiktok",
                                                                      ChannelAccount.koperasi_id == koperasi.id))

    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server}/masuk")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button")
    page.wait_for_load_state("load")

    order = shopee_sandbox.ctl("POST", f"/shops/{DEMO_SHOPS['shopee']}/orders",
                               {"lines": [{"sku": sku, "quantity": 3}], "paid": True})

    def imported() -> bool:
        with live_app.app_context():
            return db.session.scalar(select(PartnerOrder.id).where(
                PartnerOrder.external_id == order["order_id"])) is not None

    assert _wait(imported), "the Shopee push did not reach the live server"
    page.goto(f"{live_server}/seller/{slug}/pesanan")
    row = page.locator("li.panel", has_text=f"SP-{order['order_id']}")
    assert row.count() == 1 and "Shopee" in row.inner_text()
    page.goto(f"{live_server}/seller/{slug}/stok/")
    assert "tersedia 5" in page.locator("tr", has_text=sku).inner_text()  # 8 − 3

    with live_app.app_context():  # the worker's part: outbox dispatch, then the push to the other channel
        dispatch_pending()
        db.session.commit()
        push.push_account(tiktok_id)
        db.session.commit()
        listing_id = db.session.scalar(select(ChannelListing.id).where(ChannelListing.account_id == tiktok_id,
                                                                       ChannelListing.variant_id == variant_id))
    page.goto(f"{tiktok_sandbox.base_url}/shop/{DEMO_SHOPS['tiktok']}")
    tiktok_row = page.locator("tr", has_text=sku)
    assert tiktok_row.locator("td.n").last.inner_text().strip() == "5"
    page.goto(f"{live_server}/seller/{slug}/kanal/listing/{listing_id}")
    newest = page.locator("table.sync-log tbody tr").first.inner_text()
    assert "kirim" in newest and "\t5\t" in f"\t{newest}\t".replace("\n", "\t")
    page.screenshot(path=str(live_app.instance_path) + "/partner-sync-walk.png", full_page=True)
    context.close()
