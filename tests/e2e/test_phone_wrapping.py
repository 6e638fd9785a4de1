"""What the phone screenshots (docs/screenshots/take.py) showed on a 390-px screen: a card's price range broke
between "Rp" and "122.000", and a certificate's date broke into "25-" and "05-2030". Each amount and date now
stays on one line wherever the line breaks."""

from datetime import date

import pytest

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import CertificationKind, ProductStatus
from marketplace.extensions import db
from marketplace.inventory.services import set_stock
from tests.browser import screenshot_on_failure
from tests.factories import PASSWORD, verified_koperasi
from tests.seller_fixtures import make_paid_order
from tests.stock_fixtures import warehouse_of

# Every "Rp 122.000" or "25-05-2030" inside the elements: the ones whose characters sit on more than one line.
BROKEN = r"""([selector, pattern]) => {
  const broken = [];
  document.querySelectorAll(selector).forEach((element) => {
    const text = element.textContent;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    let offset = 0;
    const starts = nodes.map((n) => { const s = offset; offset += n.textContent.length; return s; });
    const at = (index) => {
      let i = starts.length - 1;
      while (starts[i] > index) i--;
      return [nodes[i], index - starts[i]];
    };
    for (const match of text.matchAll(new RegExp(pattern, "g"))) {
      const range = document.createRange();
      range.setStart(...at(match.index));
      range.setEnd(...at(match.index + match[0].length - 1));
      range.setEnd(range.endContainer, range.endOffset + 1);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  });
  return broken;
}"""


@pytest.fixture(scope="module")
def honey(live_app):
    with live_app.app_context():
        koperasi = verified_koperasi("Koppontren Madu Lebah Al-Hikmah", "kab-jember", "9100000000391",
                                     legal_entity_number="AHU-0391")
        slugs = []
        for n, name in enumerate(["Madu Randu Jember Ulum", "Keripik Pisang Manis Jember Ulum",
                                  "Madu Klanceng Hutan", "Kopi Robusta Jember"]):
            product = catalog.create_product(koperasi, name, status=ProductStatus.PUBLISHED)
            for i, price in enumerate((67000 + n * 1000, 122000 + n * 1000)):
                set_stock(catalog.add_variant(product, f"WRAP-{n}-{i}", price, 250), warehouse_of(koperasi), 5)
            catalog.set_certification(product, CertificationKind.BPOM, "MD 366977728548", date(2030, 5, 25))
            catalog.set_certification(product, CertificationKind.HALAL, "ID94249406252025", date(2030, 6, 9))
            slugs.append(product.slug)
        buyer = User(email="pembeli.lipat@uji.opop.id", name="Pembeli Lipat")
        buyer.set_password(PASSWORD)
        db.session.add(buyer)
        db.session.flush()
        order = make_paid_order(product.variants[0], 1, number="OPLIPAT0001")
        order.user_id = buyer.id
        db.session.commit()
        return {"koperasi": koperasi.slug, "product": slugs[0], "buyer": buyer.email}


def test_amounts_and_dates_stay_whole_on_a_phone(live_server, honey, phone):
    with screenshot_on_failure(phone, "phone-wrapping"):
        phone.goto(f"{live_server}/koperasi/{honey['koperasi']}")
        assert phone.locator(".card .price").count() >= 4
        assert phone.evaluate(BROKEN, [".price", r"Rp [0-9.]+"]) == []
        phone.goto(f"{live_server}/produk/{honey['product']}")
        assert phone.evaluate(BROKEN, [".price, .related .price, .grid .price", r"Rp [0-9.]+"]) == []
        assert phone.locator(".certs li").count() == 2
        assert phone.evaluate(BROKEN, [".certs", r"[0-9]{2}-[0-9]{2}-[0-9]{4}"]) == []


def test_an_order_date_stays_whole_in_the_buyers_order_list(live_server, honey, phone):
    """"Koppontren … · 1 Des 2026 22:24" then "WIB" alone on the next line: the date and its zone are one piece."""
    with screenshot_on_failure(phone, "phone-order-date"):
        phone.goto(f"{live_server}/masuk")
        phone.fill("input[name=email]", honey["buyer"])
        phone.fill("input[name=password]", PASSWORD)
        with phone.expect_navigation():
            phone.click("main form button:has-text('Masuk')")
        phone.set_viewport_size({"width": 320, "height": 700})  # the narrowest phones still sold
        phone.goto(f"{live_server}/pesanan")
        assert "OPLIPAT0001" in phone.inner_text("main")
        assert phone.evaluate(BROKEN, [".order-card .muted", r"[0-9]{1,2} \S+ [0-9]{4} [0-9:]+ \S+"]) == []
