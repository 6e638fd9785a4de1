"""I6 tenancy in what a page shows, not only in what it lets through: after one checkout that bought from two
koperasi, no seller page or export of one koperasi names the other's order."""

from marketplace.checkout.shipping import set_rate_table, standard_rate_rows
from tests.checkout.test_checkout import _complete, _fill_cart
from tests.seller.test_tenancy import UNSCOPED, seller_rules, url_for_rule
from tests.stock_fixtures import ADDRESS, sign_in


def test_no_seller_page_names_another_koperasis_order(app, db, client, make_user, make_shop):
    mine, theirs = make_shop("Koperasi Kita"), make_shop("Koperasi Tetangga")
    for shop in (mine, theirs):
        set_rate_table(shop.koperasi.id, standard_rate_rows())
    db.session.commit()
    sign_in(client, make_user(name="Siti Pembeli"))
    _fill_cart(client, (mine.product, 1), (theirs.product, 1))
    client.post("/checkout/alamat", data=ADDRESS)
    assert _complete(client, client.get("/checkout").get_data(as_text=True)).status_code == 302
    from marketplace.orders.models import Order

    numbers = {o.koperasi_id: o.number for o in db.session.scalars(db.select(Order).where(
        Order.checkout_token.isnot(None), Order.user_id.isnot(None)))}
    foreign = [numbers[theirs.koperasi.id], theirs.order.number]
    sign_in(client, mine.owner)
    ledger = client.get(f"/seller/{mine.koperasi.slug}/stok/{mine.variant.id}/riwayat").get_data(as_text=True)
    assert numbers[mine.koperasi.id] in ledger  # the page does show references: my own order's
    checked = 0
    for rule in seller_rules(app):
        if rule.endpoint in UNSCOPED or "GET" not in rule.methods:
            continue
        response = client.get(url_for_rule(rule, mine.koperasi.slug, mine.ids()))
        body = response.get_data(as_text=True)
        for number in foreign:
            assert number not in body, f"{rule.rule} shows the other koperasi's order {number}"
        checked += 1
    assert checked > 15
