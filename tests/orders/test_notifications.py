"""Mail at the moments buyers and koperasi staff would otherwise have to come and look: a new paid order for the
order desk; shipped (resi, tracking link), cancelled and refunded for the buyer."""

from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import Role
from marketplace.orders import services as orders
from marketplace.payments.gateway import GatewayError
from marketplace.payments.models import Payment, PaymentStatus
from tests.mail import sent_mail
from tests.seller_fixtures import make_paid_order


def _new(app, before: int) -> list:
    sent_mail(app)  # the eager refund task's rollback can end a dispatch call early; the next one goes on
    return sent_mail(app)[before:]


def test_a_paid_order_is_mailed_to_the_koperasis_order_staff_only(app, db, make_shop, make_staff):
    shop = make_shop()
    desk = make_staff(name="Staf Pesanan")
    koperasi_services.add_member(shop.koperasi, desk, Role.ORDERS)
    db.session.commit()
    before = len(sent_mail(app))
    order = make_paid_order(shop.variant, 1)
    db.session.commit()
    to_koperasi = {m.to[0]: m for m in _new(app, before) if "Pesanan baru" in m.subject}
    assert set(to_koperasi) == {shop.owner.email, desk.email}  # not the catalogue staff member
    mail = to_koperasi[desk.email]
    assert order.number in mail.subject and f"/seller/{shop.koperasi.slug}/pesanan/{order.number}" in mail.body


class _GatewayDown:
    """The refund call fails, so the order waits in "refund pending" until the test completes it."""

    name = "down"

    def refund(self, intent_id: str, amount: int, idempotency_key: str) -> str:
        raise GatewayError("gateway unreachable")


def _paid_through_a_payment(db, order):
    payment = Payment(checkout_token=order.checkout_token, amount=order.total, status=PaymentStatus.SUCCEEDED,
                      intent_id=f"pi_{order.number}")
    db.session.add(payment)
    db.session.flush()
    order.payment_id = payment.id


def test_the_buyer_hears_of_shipping_with_a_tracking_link_and_of_a_cancel_and_its_refund(app, db, make_shop):
    app.config["COURIER_TRACKING_URLS"] = {"sicepat": "https://lacak.contoh.id/sicepat?resi={resi}"}
    gateway, app.extensions["payment_gateway"] = app.extensions.get("payment_gateway"), _GatewayDown()
    try:
        shop = make_shop()
        shipped, cancelled = make_paid_order(shop.variant, 1), make_paid_order(shop.variant, 1)
        unpaid = make_paid_order(shop.variant, 1, paid=False)
        _paid_through_a_payment(db, cancelled)
        db.session.commit()
        before = len(sent_mail(app))
        orders.ship(shipped, "sc0012345678", courier="sicepat")
        orders.cancel_by_seller(cancelled, shop.owner.id, "Stok rusak terkena banjir")
        orders.cancel_by_seller(unpaid, shop.owner.id, "")
        db.session.commit()
        mails = {m.subject: m for m in _new(app, before)}
        sent = mails[f"Pesanan {shipped.number} sudah dikirim"]
        assert sent.to == [shipped.email]
        assert "SC0012345678" in sent.body and "https://lacak.contoh.id/sicepat?resi=SC0012345678" in sent.body
        refund = mails[f"Pesanan {cancelled.number} dibatalkan, dana sedang dikembalikan"]
        assert "Stok rusak terkena banjir" in refund.body and "Rp 35.000" in refund.body
        assert f"Pesanan {unpaid.number} dibatalkan" in mails
        before = len(sent_mail(app))
        assert orders.mark_refunded(cancelled)
        db.session.commit()
        assert [m.subject for m in _new(app, before)] == [f"Dana pesanan {cancelled.number} sudah dikembalikan"]
        # Without a configured tracking page the mail carries the resi and our order page, and no made-up link.
        app.config["COURIER_TRACKING_URLS"] = {}
        other = make_paid_order(shop.variant, 1)
        db.session.commit()
        before = len(sent_mail(app))
        orders.ship(other, "JNE0123456789")
        db.session.commit()
        mail = next(m for m in _new(app, before) if "dikirim" in m.subject)
        assert "JNE0123456789" in mail.body and f"/pesanan/{other.number}" in mail.body
        assert "Lacak paket" not in mail.body
    finally:
        app.config["COURIER_TRACKING_URLS"] = {}
        app.extensions["payment_gateway"] = gateway


def test_a_courier_changed_at_shipping_is_said_to_the_buyer(app, db, client, make_shop, make_user):
    from tests.stock_fixtures import sign_in

    shop = make_shop()
    buyer = make_user(name="Siti Pembeli")
    order = make_paid_order(shop.variant, 1)  # the buyer chose JNE
    order.user_id = buyer.id
    db.session.commit()
    before = len(sent_mail(app))
    orders.ship(order, "SC0012345678", courier="sicepat")
    db.session.commit()
    sign_in(client, buyer)
    page = client.get(f"/pesanan/{order.number}").get_data(as_text=True)
    assert "Kurir diganti oleh penjual" in page
    mail = next(m for m in _new(app, before) if "dikirim" in m.subject)
    assert "Kurir diganti oleh penjual" in mail.body and "SiCepat" in mail.body
