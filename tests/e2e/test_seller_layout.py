"""Koperasi staff work on phones too: every dashboard page (walked from the URL map) fits a 390-px screen."""

from datetime import date, timedelta

import pytest

from marketplace.accounts.models import User
from marketplace.bulk.models import ImportJob, ImportStatus
from marketplace.catalog import services as catalog
from marketplace.catalog.images import add_product_image
from marketplace.catalog.models import CertificationKind
from marketplace.channels.models import ChannelAccount, ChannelListing, MatchState
from marketplace.demo.images import draw_product_image
from marketplace.extensions import db
from marketplace.inventory.models import MovementReason
from marketplace.inventory.services import create_warehouse, set_stock
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import AuditEntry, Invitation, Role
from tests.factories import PASSWORD, verified_koperasi
from tests.seller_fixtures import make_paid_order

LONG = "Koperasi Pondok Pesantren Salafiyah Syafi'iyah Sukorejo Situbondo Sejahtera Bersama Mandiri"


@pytest.fixture(scope="module")
def dashboard(live_app):
    with live_app.app_context():
        koperasi = verified_koperasi(LONG, "kab-situbondo", "9100000000777", legal_entity_number="AHU-0777",
                                     pesantren_name="Pondok Pesantren Salafiyah Syafi'iyah")
        owner = User(email="pemilik.dasbor@uji.opop.id", name="Pemilik Dasbor Dengan Nama Yang Cukup Panjang")
        owner.set_password(PASSWORD)
        db.session.add(owner)
        membership = koperasi_services.add_member(koperasi, owner, Role.OWNER)
        product = catalog.create_product(koperasi, "Kopi Robusta Sukorejo Situbondo Giling Halus Kemasan Istimewa "
                                         "Oleh-Oleh Khas Pesantren", description="<p>Kopi pilihan.</p>" * 30)
        for i in range(3):
            catalog.add_variant(product, f"KOPI-SUKOREJO-ROBUSTA-GILING-{i}", 1_250_000 + i, 250,
                                name="Kemasan ekonomis 250 gram isi banyak", options={"Berat": "250 gram",
                                                                                       "Giling": "Halus sekali"})
        catalog.set_certification(product, CertificationKind.PIRT, "123456789012345", date.today() + timedelta(days=9))
        add_product_image(product, draw_product_image(product.name, "kopi", seed=7))
        db.session.add(Invitation(koperasi_id=koperasi.id, email="calon.pengurus.koperasi@uji.opop.id",
                                  role=Role.STOCK))
        db.session.add(AuditEntry(koperasi_id=koperasi.id, user_id=owner.id, action="product.update",
                                  subject=product.name, details={"product_id": product.id, "catatan": "x" * 120}))
        job = ImportJob(koperasi_id=koperasi.id, user_id=owner.id, filename="produk-koperasi-lengkap-2026.csv",
                        status=ImportStatus.FAILED, errors=[{"row": 7777, "column": "harga",
                                                             "message": 'Harga "dua ribu" bukan bilangan bulat.'}])
        db.session.add(job)
        warehouse = create_warehouse(koperasi, "Gudang Utama Pondok Pesantren Sukorejo Dekat Masjid Jami'")
        create_warehouse(koperasi, "Toko Koperasi di Alun-Alun Kota Situbondo")
        for n, variant in enumerate(product.variants):
            set_stock(variant, warehouse, 3 + 40 * n, reason=MovementReason.INITIAL, note="Stok awal")
        order = make_paid_order(product.variants[1], 2, recipient="Muhammad Abdurrahman Wahid Al-Banjari")
        account = ChannelAccount(koperasi_id=koperasi.id, platform="shopee", shop_id="7770001",
                                 shop_name="Toko Resmi Koperasi Pondok Pesantren Sukorejo di Shopee")
        listing = ChannelListing(account=account, item_id="88001", model_id="0", partner_sku=product.variants[0].sku,
                                 variant_id=product.variants[0].id, match_state=MatchState.AUTO)
        db.session.add_all([account, listing])
        db.session.commit()
        ids = {"product_id": product.id, "variant_id": product.variants[0].id, "image_id": product.images[0].id,
               "certification_id": product.certifications[0].id, "member_id": membership.id,
               "invitation_id": 0, "job_id": job.id, "warehouse_id": warehouse.id, "number": order.number,
               "account_id": account.id, "listing_id": listing.id}
        return {"slug": koperasi.slug, "ids": ids, "email": owner.email}


def dashboard_pages(app, slug: str, ids: dict) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/seller/<") or "GET" not in rule.methods:
            continue
        if rule.endpoint.endswith("_status") or rule.endpoint == "seller.bulk_export":
            continue  # JSON and file downloads, not pages
        values = {"slug": slug, **{k: v for k, v in ids.items() if k in rule.arguments}}
        paths.append(rule.build(values, append_unknown=False)[1])
    return sorted(paths)


def test_every_dashboard_page_fits_a_390px_phone(live_app, live_server, dashboard, phone, tmp_path):
    phone.goto(f"{live_server}/masuk")
    phone.fill("input[name=email]", dashboard["email"])
    phone.fill("input[name=password]", PASSWORD)
    phone.click("form.stack button")
    phone.wait_for_load_state("load")
    paths = dashboard_pages(live_app, dashboard["slug"], dashboard["ids"])
    assert len(paths) >= 15
    for path in paths:
        response = phone.goto(live_server + path)
        assert response.status == 200, path
        widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        phone.screenshot(path=str(tmp_path / (path.strip("/").replace("/", "_") + ".png")), full_page=True)
        assert widths[0] <= widths[1] == 390, f"{path} scrolls sideways: content {widths[0]} px wide"


CHART_TEXT = """() => [...document.querySelectorAll(
    '#penjualan svg text, #penjualan .chart-scale, #penjualan .chart-axis')]
    .map(e => parseFloat(getComputedStyle(e).fontSize) * (e.getScreenCTM ? e.getScreenCTM().a : 1))"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_the_sales_chart_keeps_text_size_labels_on_a_desktop(browser, live_server, dashboard, viewport):
    """The 30-day sales chart was an SVG scaled to the page width: on a 1280-px desktop its date and amount
    labels rendered at 45 px and the chart stood 380 px tall. Labels now read at the page's small-text size and
    the chart keeps a chart's height, with its bars drawn."""
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/masuk")
        page.fill("input[name=email]", dashboard["email"])
        page.fill("input[name=password]", PASSWORD)
        page.click("form.stack button")
        page.wait_for_load_state("load")
        page.goto(f"{live_server}/seller/{dashboard['slug']}")
        sizes = page.evaluate(CHART_TEXT)
        assert sizes and 10 <= min(sizes) and max(sizes) <= 14, sizes
        chart = page.locator("#penjualan svg.chart")
        box = chart.bounding_box()
        assert box["width"] >= 300 and 100 <= box["height"] <= 200, box
        drawn = [b for b in (chart.locator("rect").nth(i).bounding_box() for i in range(chart.locator("rect").count()))
                 if b and b["height"] > 0]
        assert drawn, "no bar drawn for the paid order"
    finally:
        context.close()
