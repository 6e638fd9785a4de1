"""Cash on delivery: offered only when every koperasi in the cart accepts it and each order is within that
koperasi's maximum (else the reason, naming the koperasi and its limit); picking it sends the orders to be packed
with nothing paid and nothing left to expire; the koperasi records each order's cash after shipping and the
payment is received once all of it is in; cancelling before shipping gives the stock back and refunds nothing."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.timeutil import utcnow
from marketplace.inventory.queries import available_by_variant
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import AuditEntry, Membership, Role
from marketplace.orders import desk
from marketplace.orders import services as orders
from marketplace.orders.models import OrderStatus
from marketplace.outbox.models import OutboxEvent
from marketplace.payments import cod, services
from marketplace.payments.models import PaymentStatus, Refund
from tests.mail import sent_mail
from tests.payments.cod_transfer_fixtures import accept


def _owner(db, shop) -> Membership:
    return db.session.scalar(select(Membership).where(Membership.koperasi_id == shop.koperasi.id,
                                                      Membership.user_id == shop.owner.id))


def _events(db, topic: str, order_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.topic == topic, OutboxEvent.payload["order_id"].as_integer() == order_id))


def test_cod_is_offered_only_when_every_koperasi_accepts_it_within_its_limit(db, make_shop, make_cart):
    kita, tetangga = make_shop("Koppontren Kita"), make_shop("Koppontren Al Hikmah")
    payment, orders_, _buyer = make_cart(kita, tetangga)  # Rp 35.000 each
    assert "Koppontren Kita belum menerima bayar di tempat" in cod.unavailable(payment, orders_)
    accept(db, kita)
    assert "Koppontren Al Hikmah belum menerima bayar di tempat" in cod.unavailable(payment, orders_)
    accept(db, tetangga, cod_max=30_000)
    assert cod.unavailable(payment, orders_) == ("COD tidak tersedia: Koppontren Al Hikmah membatasi COD sampai "
                                                 "Rp 30.000.")
    accept(db, tetangga, cod_max=35_000)  # the limit is inclusive, and counts the order with its shipping
    assert cod.unavailable(payment, orders_) is None
    accept(db, tetangga, cod=False)
    with pytest.raises(services.PaymentFailed, match="Al Hikmah"):
        services.choose_method(payment, "cod")
    assert payment.method is None and {o.status for o in orders_} == {OrderStatus.UNPAID}


def test_cod_lifecycle_packing_without_payment_then_cash_per_order_then_paid(app, db, make_shop, make_cart,
                                                                             make_staff):
    kita, tetangga = make_shop("Koperasi Kita"), make_shop("Koperasi Tetangga")
    desk_staff = make_staff(name="Staf Pesanan")
    koperasi_services.add_member(kita.koperasi, desk_staff, Role.ORDERS)
    accept(db, kita)
    accept(db, tetangga)
    payment, (mine, theirs), _buyer = make_cart(kita, tetangga)
    before = len(sent_mail(app))

    services.choose_method(payment, "cod")
    db.session.commit()
    assert {o.status for o in (mine, theirs)} == {OrderStatus.PACKING}
    assert all(o.cash_on_delivery and o.paid_at is None and o.payment_due_at is None for o in (mine, theirs))
    assert payment.status == PaymentStatus.PENDING and (payment.method, payment.gateway) == ("cod", "cod")
    assert "Bayar di tempat" in mine.history[-1].note
    assert _events(db, "order.paid", mine.id) == 0  # nothing was paid, so no "sudah dibayar" mail
    mails = [m for m in sent_mail(app)[before:] if "Pesanan COD baru" in m.subject]
    assert {m.to[0] for m in mails} == {kita.owner.email, desk_staff.email, tetangga.owner.email}
    assert orders.expire_unpaid(utcnow() + timedelta(days=30)) == []  # never expired

    with pytest.raises(orders.InvalidTransition):  # the cash comes with the parcel, not before
        cod.collect_cash(_owner(db, kita), mine)
    desk.ship(_owner(db, kita), mine, "", "JNE0001112223")
    desk.ship(_owner(db, tetangga), theirs, "", "JNE0001112224")
    assert cod.collect_cash(_owner(db, kita), mine) == "waiting"
    assert mine.paid_at is not None and payment.status == PaymentStatus.PENDING
    assert cod.collect_cash(_owner(db, kita), mine) == "already"  # a second click changes nothing
    assert cod.collect_cash(_owner(db, tetangga), theirs) == "paid"
    db.session.commit()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.amount == mine.total + theirs.total
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "order.cod_cash")) == 2
    assert {o.status for o in (mine, theirs)} == {OrderStatus.SHIPPED}


def test_cancelling_a_cod_order_before_shipping_gives_stock_back_and_refunds_nothing(db, make_shop, make_cart):
    kita, tetangga = make_shop(), make_shop()
    accept(db, kita)
    accept(db, tetangga)
    payment, (mine, theirs), _buyer = make_cart(kita, tetangga, quantity=2)
    services.choose_method(payment, "cod")
    db.session.commit()
    free = available_by_variant([kita.variant.id])[kita.variant.id]

    desk.cancel(_owner(db, kita), mine, "Stok rusak")
    db.session.commit()
    assert mine.status == OrderStatus.CANCELLED
    assert available_by_variant([kita.variant.id])[kita.variant.id] == free + 2
    assert _events(db, "order.refund_requested", mine.id) == 0
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order.cancel"))
    assert audit.details["refunded"] is False

    desk.ship(_owner(db, tetangga), theirs, "", "JNE0001112225")
    assert cod.collect_cash(_owner(db, tetangga), theirs) == "paid"  # the only cash still owed is in
    db.session.commit()
    assert payment.status == PaymentStatus.SUCCEEDED and payment.amount == theirs.total
    assert payment.details["ordered_amount"] == mine.total + theirs.total
    assert mine.status == OrderStatus.CANCELLED and _events(db, "order.refund_requested", mine.id) == 0


def test_the_buyer_picks_cod_and_sees_it_and_the_desk_records_the_cash(client, db, login, make_shop, make_cart,
                                                                       make_staff):
    shop = make_shop("Koppontren Bayar Tempat")
    accept(db, shop)
    payment, (order,), buyer = make_cart(shop)
    login(buyer)
    page = client.get(f"/pembayaran/{payment.checkout_token}").get_data(as_text=True)
    assert 'data-method="cod"' in page and "Bayar di tempat (COD)" in page
    page = client.post(f"/pembayaran/{payment.checkout_token}/metode", data={"method": "cod"},
                       follow_redirects=True).get_data(as_text=True)
    assert 'data-testid="cod-placed"' in page and "Dikemas" in page and "Rp 35.000" in page
    listing = client.get("/pesanan").get_data(as_text=True)
    assert "Dikemas" in listing and "Bayar di tempat" in listing and "Bayar sekarang" not in listing
    assert "Bayar di tempat (COD)" in client.get(f"/pesanan/{order.number}").get_data(as_text=True)

    catalog_staff = make_staff(name="Staf Katalog Dua")
    clerk = make_staff(name="Staf Pesanan")
    koperasi_services.add_member(shop.koperasi, catalog_staff, Role.CATALOG)
    koperasi_services.add_member(shop.koperasi, clerk, Role.ORDERS)
    db.session.commit()
    login(clerk)
    base = f"/seller/{shop.koperasi.slug}/pesanan/{order.number}"
    assert "Bayar di tempat" in client.get(f"/seller/{shop.koperasi.slug}/pesanan").get_data(as_text=True)
    page = client.get(base).get_data(as_text=True)
    assert "Bayar di tempat (COD)" in page and "Uang COD diterima" not in page  # not before shipping
    assert "kembalikan dana" not in page  # cancelling a COD order refunds nothing
    client.post(f"{base}/kirim", data={"courier": "jne", "tracking_number": "JNE0001112226"})
    page = client.get(base).get_data(as_text=True)
    assert "Uang COD diterima" in page
    login(catalog_staff)
    assert client.post(f"{base}/cod-diterima").status_code == 403
    login(clerk)
    client.post(f"{base}/cod-diterima")
    db.session.expire_all()
    assert services.orders_of(payment)[0].paid_at is not None
    assert db.session.get(type(payment), payment.id).status == PaymentStatus.SUCCEEDED
    page = client.get(base).get_data(as_text=True)
    assert re.search(r'Uang COD diterima [^<]+:\s*<strong class="price">Rp 35.000', page)
    assert "<button" not in page.split('data-testid="cod"')[1].split("</section>")[0]  # recorded: no button


def test_the_buyer_may_cancel_a_cod_order_until_it_is_packed(app, client, db, login, make_shop, make_cart):
    shop = make_shop()
    accept(db, shop)
    payment, (order, ), buyer = make_cart(shop, quantity=3)
    before = len(sent_mail(app))
    services.choose_method(payment, "cod")
    db.session.commit()
    mail = [m for m in sent_mail(app)[before:] if m.to == [buyer.email]]
    assert len(mail) == 1 and "Rp 85.000" in mail[0].subject and order.number in mail[0].body
    free = available_by_variant([shop.variant.id])[shop.variant.id]
    login(buyer)
    assert "Batalkan pesanan" in client.get(f"/pesanan/{order.number}").get_data(as_text=True)
    client.post(f"/pesanan/{order.number}/batal")
    db.session.expire_all()
    assert order.status == OrderStatus.CANCELLED
    assert available_by_variant([shop.variant.id])[shop.variant.id] == free + 3
    assert _events(db, "order.refund_requested", order.id) == 0
    assert 'data-testid="cod-placed"' not in client.get(f"/pembayaran/{payment.checkout_token}").get_data(
        as_text=True)


def test_a_packed_cod_order_is_cancelled_by_the_seller_only(db, make_shop, make_cart):
    shop = make_shop()
    accept(db, shop)
    payment, (order, ), buyer = make_cart(shop)
    services.choose_method(payment, "cod")
    desk.pack(_owner(db, shop), order)
    db.session.commit()
    with pytest.raises(orders.InvalidTransition, match="COD yang sudah dikemas"):
        orders.cancel_by_buyer(order, buyer.id)
