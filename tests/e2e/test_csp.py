"""The pages work under the Content-Security-Policy in a real browser: no violation is reported, and the
behaviour that used to be inline (sort on change, variant picker, confirmations) still runs."""

import pytest

from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.extensions import db
from tests.factories import verified_koperasi


@pytest.fixture(scope="module")
def shop(live_app):
    with live_app.app_context():
        koperasi = verified_koperasi("Koperasi Uji CSP", "kab-jember", "9100000016016",
                                     owner_email="csp@uji.opop.id")
        product = catalog.create_product(koperasi, "Kopi Robusta CSP", status=ProductStatus.PUBLISHED,
                                         description="<p>Kopi <strong>pilihan</strong></p>")
        catalog.add_variant(product, "CSP-1", 25000, 250, name="250 gram")
        catalog.add_variant(product, "CSP-2", 45000, 500, name="500 gram")
        db.session.commit()
        return {"product": product.slug, "koperasi": koperasi.slug}


def _watch(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


@pytest.mark.parametrize("path", ["/", "/produk", "/produk/{product}", "/cari?q=kopi", "/masuk", "/daftar",
                                  "/koperasi/{koperasi}", "/keranjang"])
def test_no_csp_violation(live_server, shop, phone, path):
    violations = _watch(phone)
    response = phone.goto(live_server + path.format(**shop))
    assert response.status == 200
    assert "Content-Security-Policy" in response.headers or "content-security-policy" in response.headers
    phone.wait_for_load_state("load")
    assert violations == []


def test_sort_select_submits_without_inline_handlers(live_server, shop, phone):
    violations = _watch(phone)
    phone.goto(f"{live_server}/cari?q=kopi")
    with phone.expect_navigation():
        phone.select_option("select[name=urut]", "termurah")
    assert "urut=termurah" in phone.url
    assert violations == []


def test_an_injected_inline_script_does_not_run(live_server, shop, phone):
    """Belt and braces behind the sanitiser: even markup that got through could not run a script."""
    violations = _watch(phone)
    phone.goto(f"{live_server}/produk/{shop['product']}")
    ran = phone.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';
        document.body.appendChild(s); return window.pwned === 1; }""")
    assert ran is False
    assert violations
