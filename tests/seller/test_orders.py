"""The order desk: tabs and search, pack, ship with courier and resi, cancel with the stock coming back, the
packing slip, and the overview figures."""

from sqlalchemy import select

from marketplace.inventory.models import MovementReason, StockMovement
from marketplace.inventory.queries import available_by_variant, ledger_mismatches
from marketplace.orders.models import Order, OrderStatus
from tests.seller_fixtures import make_paid_order


def test_tabs_count_and_search_by_number_and_buyer(client, db, login, make_shop):
    shop = make_shop()  # one paid order
    unpaid = make_paid_order(shop.variant, 1, paid=False, recipient="Ahmad Fauzi")
    db.session.commit()
    login(shop.owner)
    slug = shop.koperasi.slug
    page = client.get(f"/seller/{slug}/pesanan").get_data(as_text=True)
    assert "Semua (2)" in page and "Belum bayar (1)" in page and "Perlu dikemas (1)" in page
    page = client.get(f"/seller/{slug}/pesanan?tab=belum-bayar").get_data(as_text=True)
    assert unpaid.number in page and shop.order.number not in page
    page = client.get(f"/seller/{slug}/pesanan?q=fauzi").get_data(as_text=True)
    assert unpaid.number in page and shop.order.number not in page
    page = client.get(f"/seller/{slug}/pesanan?q={shop.order.number.lower()}").get_data(as_text=True)
    assert shop.order.number in page and unpaid.number not in page


def test_pack_then_ship_with_courier_and_resi(client, db, login, make_shop, make_staff):
    from marketplace.koperasi.models import Role
    from marketplace.koperasi.services import add_member

    shop = make_shop()
    clerk = make_staff(name="Petugas Pesanan")
    add_member(shop.koperasi, clerk, Role.ORDERS)
    db.session.commit()
    login(clerk)
    base = f"/seller/{shop.koperasi.slug}/pesanan/{shop.order.number}"
    client.post(f"{base}/kemas")
    order = db.session.get(Order, shop.order.id)
    assert order.packed_at is not None and order.status == OrderStatus.PACKING
    assert shop.order.number in client.get(f"/seller/{shop.koperasi.slug}/pesanan?tab=siap-kirim").get_data(
        as_text=True)
    page = client.post(f"{base}/kirim", data={"courier": "sicepat", "tracking_number": "x1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Nomor resi harus" in page and db.session.get(Order, shop.order.id).status == OrderStatus.PACKING
    client.post(f"{base}/kirim", data={"courier": "sicepat", "tracking_number": "sc-0012345678"})
    order = db.session.get(Order, shop.order.id)
    assert (order.status, order.courier, order.tracking_number) == (OrderStatus.SHIPPED, "sicepat", "SC-0012345678")
    shipped = db.session.scalar(select(StockMovement).where(StockMovement.reason == MovementReason.FULFILMENT,
                                                            StockMovement.reference == order.number))
    assert shipped.quantity_delta == -2
    assert ledger_mismatches() == []


def test_cancel_unpaid_gives_stock_back_and_needs_a_reason(client, db, login, make_shop):
    shop = make_shop()
    unpaid = make_paid_order(shop.variant, 3, paid=False)
    db.session.commit()
    assert available_by_variant([shop.variant.id])[shop.variant.id] == 15
    login(shop.owner)
    base = f"/seller/{shop.koperasi.slug}/pesanan/{unpaid.number}"
    page = client.post(f"{base}/batal", data={"reason": ""}, follow_redirects=True).get_data(as_text=True)
    assert "Alasan pembatalan wajib diisi." in page
    client.post(f"{base}/batal", data={"reason": "Pembeli minta batal lewat WhatsApp"})
    order = db.session.get(Order, unpaid.id)
    assert order.status == OrderStatus.CANCELLED
    assert order.history[-1].note == "Pembeli minta batal lewat WhatsApp"
    assert available_by_variant([shop.variant.id])[shop.variant.id] == 18


def test_shipped_orders_cannot_be_cancelled(client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    base = f"/seller/{shop.koperasi.slug}/pesanan/{shop.order.number}"
    client.post(f"{base}/kirim", data={"tracking_number": "JNE0123456789"})
    page = client.post(f"{base}/batal", data={"reason": "salah kirim"}, follow_redirects=True).get_data(as_text=True)
    assert "sudah dikirim tidak bisa dibatalkan" in page
    assert db.session.get(Order, shop.order.id).status == OrderStatus.SHIPPED


def test_packing_slip_is_printable(client, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    slip = client.get(f"/seller/{shop.koperasi.slug}/pesanan/{shop.order.number}/slip").get_data(as_text=True)
    assert shop.order.number in slip and "Siti Aminah" in slip and shop.variant.sku in slip
    assert "data-print" in slip and 'class="topbar"' not in slip  # static/js/page.js prints (no inline JS: CSP)


def test_overview_shows_work_to_do_sales_and_top_products(client, db, login, make_shop, make_product):
    shop = make_shop()  # paid order: 2 × 25.000 + ongkir 10.000
    second = make_product(koperasi=shop.koperasi, name="Keripik Tempe Terlaris", prices=(12000,))
    from marketplace.inventory.models import MovementReason as R
    from marketplace.inventory.services import set_stock

    set_stock(second.variants[0], shop.warehouse, 50, reason=R.INITIAL)
    make_paid_order(second.variants[0], 5)
    make_paid_order(second.variants[0], 1, paid=False)
    db.session.commit()
    login(shop.owner)
    page = client.get(f"/seller/{shop.koperasi.slug}/").get_data(as_text=True)
    assert "Perlu dikemas (2)" in page
    assert "2 pesanan dibayar · Rp 130.000" in page  # 60.000 + 70.000, the unpaid one not counted
    assert page.index("Keripik Tempe Terlaris — 5 terjual") < page.index(f"{shop.product.name} — 2 terjual")
    assert "<svg" in page and "<rect" in page
