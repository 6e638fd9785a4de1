"""Checkout as a buyer goes through it: address, couriers per koperasi, one order per koperasi, one payment."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory.queries import available_by_variant, ledger_mismatches
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments.models import Payment
from tests.stock_fixtures import ADDRESS


def _fill_cart(client, *items):
    for product, quantity in items:
        client.post("/keranjang/tambah", data={"product": product.id, "variant": product.variants[0].id,
                                               "quantity": quantity})


def _token(page: str) -> str:
    return re.search(r'action="/checkout/([^/]+)/selesai"', page).group(1)


def _couriers(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="kurir_(\d+)" value="(\w+)"[^>]*checked', page))


def _complete(client, page: str, **extra):
    data = {f"kurir_{k}": v for k, v in _couriers(page).items()}
    data["subtotal_seen"] = re.search(r'name="subtotal_seen" value="(\d+)"', page).group(1)
    return client.post(f"/checkout/{_token(page)}/selesai", data={**data, **extra})


def test_address_is_checked_and_normalised(client, buyer, make_stocked_product):
    _fill_cart(client, (make_stocked_product(), 1))
    assert "Alamat pengiriman" in client.get("/checkout/alamat").get_data(as_text=True)
    bad = client.post("/checkout/alamat", data={**ADDRESS, "postal_code": "6024"})
    assert bad.status_code == 400 and "Kode pos harus 5 digit" in bad.get_data(as_text=True)
    bad = client.post("/checkout/alamat", data={**ADDRESS, "phone": "12"})
    assert "Nomor telepon tidak valid" in bad.get_data(as_text=True)
    assert client.post("/checkout/alamat", data=ADDRESS).status_code == 302
    page = client.get("/checkout").get_data(as_text=True)
    assert "+6281234567890" in page and "Kota Surabaya" in page and "60244" in page


def test_one_payment_and_one_order_per_koperasi_priced_by_the_server(client, buyer, make_stocked_product,
                                                                       make_koperasi):
    surabaya = make_koperasi(region_code="kota-surabaya")
    jember = make_koperasi(region_code="kab-jember")
    kopi = make_stocked_product(stock=(10,), prices=(25000,), koperasi=surabaya)
    madu = make_stocked_product(stock=(5,), prices=(65000,), koperasi=jember)
    _fill_cart(client, (kopi, 2), (madu, 1))
    client.post("/checkout/alamat", data=ADDRESS)
    page = client.get("/checkout").get_data(as_text=True)
    # 2 × 250 g to the same city vs 250 g across the province: the rate tables differ by zone.
    assert "JNE" in page and "SiCepat" in page and "Pos Indonesia" in page
    response = _complete(client, page, note="Tolong dibungkus rapi", subtotal_seen="1")
    assert response.status_code == 400 and "Harga berubah" in response.get_data(as_text=True)
    response = _complete(client, page, note="Tolong dibungkus rapi")
    assert response.status_code == 302 and "/pembayaran/" in response.location
    made = db.session.scalars(select(Order).order_by(Order.koperasi_id)).all()
    assert [(o.koperasi_id, o.subtotal, o.status) for o in made] == [
        (surabaya.id, 50000, OrderStatus.UNPAID), (jember.id, 65000, OrderStatus.UNPAID)]
    same_city, other_city = made[0].shipping_cost, made[1].shipping_cost
    assert 0 < same_city < other_city
    payment = db.session.scalar(select(Payment))
    assert payment.amount == sum(o.total for o in made) == 115000 + same_city + other_city
    assert all(o.note == "Tolong dibungkus rapi" and o.address["postal_code"] == "60244" for o in made)
    assert available_by_variant([kopi.variants[0].id, madu.variants[0].id]) == {kopi.variants[0].id: 8,
                                                                                madu.variants[0].id: 4}
    # A double click (or a retried request) finds the same orders.
    again = _complete(client, page)
    assert again.status_code == 302 and again.location == response.location
    assert db.session.scalar(select(func.count()).select_from(Order)) == 2
    assert '<span class="cart-count">' not in client.get("/").get_data(as_text=True)
    listing = client.get("/pesanan").get_data(as_text=True)
    assert made[0].number in listing and "Belum bayar" in listing


def test_stock_taken_by_someone_else_is_reported_and_nothing_is_ordered(client, buyer, make_stocked_product):
    product = make_stocked_product(stock=(3,), name="Kopi Lanang")
    _fill_cart(client, (product, 3))
    client.post("/checkout/alamat", data=ADDRESS)
    page = client.get("/checkout").get_data(as_text=True)
    # The hold expires and another channel sells two units meanwhile.
    from marketplace.inventory import services as inventory
    from marketplace.inventory.models import Reservation
    from tests.stock_fixtures import bare_order_line

    db.session.execute(Reservation.__table__.update().values(expires_at=utcnow() - timedelta(seconds=1)))
    line = bare_order_line(product.variants[0], 2, "SHOPEE-1")
    inventory.allocate_lines([inventory.LineRequest(product.variants[0].id, 2, line.id)])
    db.session.commit()
    response = _complete(client, page)
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "stok tidak cukup" in body and "Kopi Lanang" in body
    assert "diminta 3, tersedia 1" in body
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 0
    assert ledger_mismatches() == []


def test_cancel_and_expiry_give_the_stock_back(client, buyer, make_stocked_product):
    product = make_stocked_product(stock=(4,))
    variant_id = product.variants[0].id
    for _ in range(2):
        _fill_cart(client, (product, 2))
        client.post("/checkout/alamat", data=ADDRESS)
        _complete(client, client.get("/checkout").get_data(as_text=True))
    first, second = db.session.scalars(select(Order).order_by(Order.id)).all()
    assert available_by_variant([variant_id])[variant_id] == 0
    assert client.post(f"/pesanan/{first.number}/batal").status_code == 302
    assert first.status == OrderStatus.CANCELLED and available_by_variant([variant_id])[variant_id] == 2
    assert orders.expire_unpaid(now=utcnow()) == []
    assert orders.expire_unpaid(now=utcnow() + timedelta(minutes=61)) == [second.number]
    assert orders.expire_unpaid(now=utcnow() + timedelta(minutes=61)) == []  # twice is harmless
    assert second.status == OrderStatus.CANCELLED and available_by_variant([variant_id])[variant_id] == 4
    page = client.get(f"/pesanan/{second.number}").get_data(as_text=True)
    assert "Batas waktu pembayaran habis" in page and "Dibatalkan" in page
    assert ledger_mismatches() == []


def test_seller_ships_with_resi_and_other_koperasi_cannot_see_the_order(client, buyer, make_stocked_product,
                                                                         make_user, make_koperasi):
    from marketplace.koperasi.models import Role
    from marketplace.koperasi.services import add_member
    from tests.stock_fixtures import sign_in

    product = make_stocked_product(stock=(5,))
    _fill_cart(client, (product, 2))
    client.post("/checkout/alamat", data=ADDRESS)
    _complete(client, client.get("/checkout").get_data(as_text=True))
    order = db.session.scalar(select(Order))
    orders.mark_paid(order)
    db.session.commit()
    staff, outsider = make_user(), make_user()
    add_member(product.koperasi, staff, Role.ORDERS)
    add_member(make_koperasi(), outsider, Role.OWNER)
    db.session.commit()
    sign_in(client, outsider)
    assert client.get(f"/seller/{product.koperasi.slug}/pesanan/{order.number}").status_code == 404
    sign_in(client, staff)
    desk = client.get(f"/seller/{product.koperasi.slug}/pesanan").get_data(as_text=True)
    assert order.number in desk and "Dikemas" in desk, desk[desk.find("<main"):][:1500]
    url = f"/seller/{product.koperasi.slug}/pesanan/{order.number}/kirim"
    client.post(url, data={"tracking_number": "x"})
    assert order.status == OrderStatus.PACKING
    client.post(url, data={"tracking_number": "jne0123456789"})
    assert order.status == OrderStatus.SHIPPED and order.tracking_number == "JNE0123456789"
    stock = product.variants[0]
    assert available_by_variant([stock.id])[stock.id] == 3
    sign_in(client, buyer)
    assert client.post(f"/pesanan/{order.number}/diterima").status_code == 302
    page = client.get(f"/pesanan/{order.number}").get_data(as_text=True)
    assert order.status == OrderStatus.COMPLETED and "JNE0123456789" in page
    assert [c.to_status for c in order.history] == [OrderStatus.UNPAID, OrderStatus.PACKING, OrderStatus.SHIPPED,
                                                    OrderStatus.COMPLETED]
    assert ledger_mismatches() == []


def test_a_product_withdrawn_after_adding_cannot_be_ordered(client, buyer, make_stocked_product):
    from marketplace.catalog.models import ProductStatus

    product = make_stocked_product(stock=(5,), name="Sambal Cumi")
    _fill_cart(client, (product, 1))
    client.post("/checkout/alamat", data=ADDRESS)
    page = client.get("/checkout").get_data(as_text=True)
    product.status = ProductStatus.ARCHIVED
    db.session.commit()
    response = _complete(client, page)
    assert response.status_code == 400 and "tidak dijual lagi" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0
