"""On a 390-px phone an amount never breaks inside itself ("Rp 1.250." / "000"), nor a column header inside a
word: body text may wrap anywhere (long product names), amounts and headers only between words."""

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.extensions import db
from tests.payments.test_stripe_end_to_end import _shop
from tests.stock_fixtures import sign_in

SPLIT_PIECES = """(selector) => {
  const broken = [];
  document.querySelectorAll(selector).forEach((element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  });
  return broken;
}"""


def test_amounts_and_headers_do_not_break_inside_a_word(live_app, phone):
    app = live_app
    shop = _shop(app)
    with app.app_context():
        product = db.session.get(Product, shop["product"])
        catalog.add_variant(product, f"MAHAL-{product.id}", 12_500_000, 380, name="Peti besar")
        db.session.commit()
    base = app.config["PUBLIC_BASE_URL"]
    phone.set_viewport_size({"width": 200, "height": 800})  # narrower than any phone: where breaking starts
    phone.goto(f"{base}/produk")
    assert phone.locator(".price").count() > 0
    assert phone.evaluate(SPLIT_PIECES, ".price") == []
    # A koperasi's stock table on a phone: headers wrap between words only.
    seller = app.test_client()
    with app.app_context():
        from marketplace.accounts.models import User

        sign_in(seller, db.session.get(User, shop["seller"]))
    seller.get("/")
    phone.context.add_cookies([{"name": "session", "value": seller.get_cookie("session").value, "url": base}])
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/seller/{shop['slug']}/stok")
    assert phone.locator("th").count() > 0
    assert phone.evaluate(SPLIT_PIECES, "th") == []
