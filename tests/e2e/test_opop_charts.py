"""The programme dashboard's and the public page's charts render in Chromium on a desktop and a 390-px phone: each
chart has drawn bars with a real width, and no page scrolls sideways. Screenshots go to the test's tmp dir, or to
docs/screenshots/ with OPOP_SAVE_SCREENSHOTS=1."""

import os
from pathlib import Path

import pytest

from marketplace.accounts.models import User
from marketplace.catalog.models import ProductStatus
from marketplace.extensions import db
from marketplace.inventory.services import create_warehouse, set_stock
from marketplace.koperasi.models import VerificationStatus
from marketplace.opop import curation, services, stats
from tests.factories import PASSWORD, verified_koperasi
from tests.seller_fixtures import make_paid_order

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="module")
def programme(live_app):
    with live_app.app_context():
        team = User(email="tim.grafik@uji.opop.id", name="Tim OPOP Grafik", is_opop_admin=True)
        team.set_password(PASSWORD)
        db.session.add(team)
        services.create_cohort(2024)
        for n, region in enumerate(["kab-jember", "kab-jember", "kota-surabaya", "kab-sumenep", "kab-tulungagung"]):
            koperasi = verified_koperasi(f"Koppontren Grafik {n}", region, f"91500000000{n:02d}",
                                         legal_entity_number=f"AHU-9{n}")
            if n == 4:
                services.decide(team, koperasi.id, "suspend", "Pesanan telantar.")
            from marketplace.catalog import services as catalog

            product = catalog.create_product(koperasi, f"Kopi Grafik {n}", status=ProductStatus.PUBLISHED)
            catalog.add_variant(product, f"GRAFIK-{n}", 30000, 250)
            db.session.flush()
            if n < 3:
                curation.mark_flagship(team, product.id, "Kurasi uji grafik")
            if n < 4:
                set_stock(product.variants[0], create_warehouse(koperasi, f"Gudang {n}"), 10, note="Stok awal")
                make_paid_order(product.variants[0], 1 + n)
        db.session.commit()
        assert services.status_label(VerificationStatus.SUSPENDED)
        return {"email": team.email}


def _login(page, server, email):
    page.goto(f"{server}/masuk")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button")
    page.wait_for_load_state("load")


def _check_charts(page, minimum: int) -> None:
    charts = page.locator("svg.opop-chart")
    assert charts.count() >= minimum
    for i in range(charts.count()):
        chart = charts.nth(i)
        box = chart.bounding_box()
        assert box and box["width"] >= 300 and box["height"] >= 40, box
        assert chart.locator("rect").count() >= 1
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"scrolls sideways: {widths}"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_charts_render(browser, live_app, live_server, programme, viewport, tmp_path):
    target = SCREENSHOTS if os.environ.get("OPOP_SAVE_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    name = "desktop" if viewport["width"] > 500 else "phone"
    context = browser.new_context(viewport=viewport, is_mobile=name == "phone", locale="id-ID")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/opop")
        _check_charts(page, 2)
        with live_app.app_context():  # the live database is shared with the other browser tests
            flagship = stats.flagship_now()
        assert flagship >= 3 and f"{flagship} / 1000" in page.inner_text(".stats")
        page.screenshot(path=str(target / f"opop-public-{name}.png"), full_page=True)
        _login(page, live_server, programme["email"])
        page.goto(f"{live_server}/opop/dasbor")
        _check_charts(page, 5)
        page.screenshot(path=str(target / f"opop-dashboard-{name}.png"), full_page=True)
    finally:
        context.close()


LABEL_SIZES = """() => [...document.querySelectorAll('svg.opop-chart text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_chart_labels_read_like_text_on_a_desktop_and_a_phone(browser, live_server, programme, viewport):
    """Charts scale with their box, so labels sized for a phone grew to body-text size on a 1280-px desktop:
    rendered label sizes stay between 9 and 13.5 px, and a chart of a few rows or columns stays under 320 px."""
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    try:
        _login(page, live_server, programme["email"])
        page.goto(f"{live_server}/opop/dasbor")
        sizes = page.evaluate(LABEL_SIZES)
        assert len(sizes) >= 20
        assert 9 <= min(sizes) and max(sizes) <= 13.5, (min(sizes), max(sizes))
        heights = [page.locator("svg.opop-chart").nth(i).bounding_box()["height"]
                   for i in range(page.locator("svg.opop-chart").count())]
        assert max(heights) <= 320, heights
    finally:
        context.close()
