"""One timezone for every page, mail and export: seller pages showed UTC while buyers saw WIB. Times are stored
as UTC; 20:30 UTC on 1 March is 03:30 WIB on 2 March."""

from datetime import datetime

from marketplace.inventory.models import StockMovement
from marketplace.orders.reports import daily_sales
from tests.stock_fixtures import sign_in

LATE_EVENING_UTC = datetime(2026, 3, 1, 20, 30)


def _stamp(db, shop):
    for change in shop.order.history:
        change.created_at = LATE_EVENING_UTC
    shop.order.created_at = shop.order.paid_at = LATE_EVENING_UTC
    for movement in db.session.scalars(db.select(StockMovement).where(StockMovement.variant_id == shop.variant.id)):
        movement.created_at = LATE_EVENING_UTC
    db.session.commit()


def test_seller_and_buyer_pages_show_the_same_local_hour(app, db, client, make_shop, make_user):
    shop = make_shop()
    buyer = make_user(name="Siti Pembeli")
    shop.order.user_id = buyer.id
    _stamp(db, shop)
    sign_in(client, shop.owner)
    slug = shop.koperasi.slug
    pages = [f"/seller/{slug}/pesanan/{shop.order.number}", f"/seller/{slug}/pesanan",
             f"/seller/{slug}/stok/{shop.variant.id}/riwayat"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert "02-03-2026 03:30 WIB" in html and " UTC" not in html, path
    sign_in(client, buyer)
    assert "2 Mar 2026 03:30 WIB" in client.get(f"/pesanan/{shop.order.number}").get_data(as_text=True)
    # The dashboard's sales days are local days too.
    with app.test_request_context():
        days = daily_sales(shop.koperasi.id, days=3, now=datetime(2026, 3, 2, 10, 0))
    assert [(d.day.isoformat(), d.orders) for d in days][-2:] == [("2026-03-01", 0), ("2026-03-02", 1)]


def test_the_timezone_is_one_setting(app, db, client, make_shop):
    shop = make_shop()
    _stamp(db, shop)
    sign_in(client, shop.owner)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Makassar"
    try:
        html = client.get(f"/seller/{shop.koperasi.slug}/pesanan/{shop.order.number}").get_data(as_text=True)
    finally:
        app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Jakarta"
    assert "02-03-2026 04:30 WITA" in html
