"""Paying through localstripe end to end: checkout → PaymentIntent → signed webhook over HTTP → order paid."""

import hashlib
import hmac
import itertools
import json
import re
import time
from datetime import timedelta

import requests
import stripe
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.checkout.models import Cart
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory.queries import available_by_variant, ledger_mismatches
from marketplace.koperasi import services as koperasi_services
from marketplace.koperasi.models import Role
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderStatus, OrderStatusChange
from marketplace.outbox.services import dispatch_pending
from marketplace.payments.models import Payment, PaymentEvent, PaymentStatus, Refund
from tests.factories import verified_koperasi
from tests.stock_fixtures import ADDRESS, sign_in, warehouse_of

_seq = itertools.count(1)


def _shop(app, stock: int = 5):
    """A verified koperasi with one product in stock and a buyer; committed (the web server must see them)."""
    n = next(_seq)
    with app.app_context():
        koperasi = verified_koperasi(f"Koperasi Bayar {n}", "kab-malang", f"{7000000000000 + n}",
                                     pesantren_name=f"Pesantren Bayar {n}", legal_entity_number=f"AHU-B{n}")
        product = catalog.create_product(koperasi, f"Madu Randu {n}", status=ProductStatus.PUBLISHED)
        variant = catalog.add_variant(product, f"MADU-{n}", 65000, 380, name="250 ml")
        from marketplace.inventory.services import set_stock

        set_stock(variant, warehouse_of(koperasi), stock)
        buyer = User(email=f"pembeli{n}@pesantren.id", name="Siti Pembeli", password_hash="-")
        seller = User(email=f"kasir{n}@pesantren.id", name="Kasir", password_hash="-")
        db.session.add_all([buyer, seller])
        db.session.flush()
        koperasi_services.add_member(koperasi, seller, Role.ADMIN)
        db.session.commit()
        return {"product": product.id, "product_slug": product.slug, "variant": variant.id, "buyer": buyer.id,
                "seller": seller.id, "slug": koperasi.slug}


def _checkout(app, shop) -> tuple:
    client = app.test_client()
    with app.app_context():
        sign_in(client, db.session.get(User, shop["buyer"]))
    client.post("/keranjang/tambah", data={"product": shop["product"], "variant": shop["variant"], "quantity": 2})
    client.post("/checkout/alamat", data=ADDRESS)
    page = client.get("/checkout").get_data(as_text=True)
    token = re.search(r'action="/checkout/([^/]+)/selesai"', page).group(1)
    couriers = dict(re.findall(r'name="(kurir_\d+)" value="(\w+)"[^>]*checked', page))
    response = client.post(f"/checkout/{token}/selesai", data=couriers)
    assert response.status_code == 302 and response.location.endswith(f"/pembayaran/{token}")
    return client, token


def _wait(app, check, seconds: float = 8.0):
    deadline = time.monotonic() + seconds
    while True:
        with app.app_context():
            value = check()
            if value or time.monotonic() > deadline:
                return value
        time.sleep(0.1)


def _post_signed(app, payload: dict, secret: str | None = None) -> requests.Response:
    body = json.dumps(payload).encode()
    stamp = int(time.time())
    secret = secret or app.config["STRIPE_WEBHOOK_SECRET"]
    signature = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return requests.post(f"{app.config['PUBLIC_BASE_URL']}/pembayaran/webhook/stripe", data=body, timeout=5,
                         headers={"Stripe-Signature": f"t={stamp},v1={signature}", "Content-Type": "application/json"})


def test_card_payment_marks_orders_paid_only_through_the_signed_webhook(live_app):
    app = live_app
    shop = _shop(app)
    client, token = _checkout(app, shop)
    page = client.get(f"/pembayaran/{token}").get_data(as_text=True)
    assert app.config["STRIPE_JS_URL"] in page and "Rp " in page
    with app.app_context():
        payment = db.session.scalar(select(Payment).where(Payment.checkout_token == token))
        gateway = stripe.StripeClient(app.config["STRIPE_SECRET_KEY"],
                                      base_addresses={"api": app.config["STRIPE_API_BASE"]})
        intent = gateway.v1.payment_intents.retrieve(payment.intent_id)
        assert (intent.amount, intent.currency) == (payment.amount * 100, "idr")  # IDR is two-decimal at Stripe
        order_number = db.session.scalar(select(Order.number).where(Order.checkout_token == token))
    # The browser claiming success changes nothing: only the gateway's word counts.
    assert _post_signed(app, {"id": "evt_forged", "type": "payment_intent.succeeded",
                              "data": {"object": {"object": "payment_intent", "id": "pi_x"}}},
                        secret="whsec_wrong").status_code == 400
    response = client.post(f"/pembayaran/{token}/bayar", data={"payment_method": "pm_card_visa"})
    assert response.status_code == 302 and "cek=1" in response.location

    def paid():
        order = db.session.scalar(select(Order).where(Order.number == order_number))
        return order.status == OrderStatus.PACKING and order
    assert _wait(app, paid), "the payment_intent.succeeded webhook did not arrive"
    with app.app_context():
        event = db.session.scalar(select(PaymentEvent).where(PaymentEvent.type == "payment_intent.succeeded",
                                                             PaymentEvent.outcome == "paid"))
        assert event is not None
        sent_before = len(getattr(app.extensions["mailman"], "outbox", []))
        dispatch_pending()
        db.session.commit()
        # the live app is shared by the module's tests: other tests' pending mails may go out in this dispatch too
        mails = [m for m in app.extensions["mailman"].outbox[sent_before:] if order_number in m.subject]
        buyer_email = db.session.get(User, shop["buyer"]).email
        seller_email = db.session.get(User, shop["seller"]).email
        assert sorted((m.to[0], m.subject) for m in mails) == sorted([
            (buyer_email, f"Pesanan {order_number} sudah dibayar"),
            (seller_email, f"Pesanan baru {order_number} sudah dibayar: siap dikemas")])
        to_buyer = next(m for m in mails if m.to == [buyer_email])
        assert "Madu Randu" in to_buyer.body
        history_before = db.session.scalar(select(func.count()).select_from(OrderStatusChange))
        events_before = db.session.scalar(select(func.count()).select_from(PaymentEvent))
        payload = event.payload

    # Replaying the same event: stored by id, changes nothing.
    replay = _post_signed(app, payload)
    assert replay.status_code == 200 and replay.json()["outcome"] == "duplicate"
    unknown = _post_signed(app, {"id": "evt_unknown_type", "type": "customer.created",
                                 "data": {"object": {"object": "customer", "id": "cus_1"}}})
    assert unknown.status_code == 200 and unknown.json()["outcome"] == "ignored"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OrderStatusChange)) == history_before
        assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == events_before + 1
        assert db.session.scalar(select(Payment.status).where(Payment.checkout_token == token)) == \
            PaymentStatus.SUCCEEDED
    assert "Dikemas" in client.get(f"/pesanan/{order_number}").get_data(as_text=True)

    # The seller cancels before shipping: full refund through the gateway, stock back on the shelf.
    seller = app.test_client()
    with app.app_context():
        sign_in(seller, db.session.get(User, shop["seller"]))
    seller.post(f"/seller/{shop['slug']}/pesanan/{order_number}/batal", data={"reason": "Stok rusak"})
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == order_number))
        assert order.status == OrderStatus.REFUND_PENDING  # the gateway is called after commit, not in the click
        assert available_by_variant([shop["variant"]])[shop["variant"]] == 5
        dispatch_pending()  # the outbox hands the refund to its task (eager here; the payments worker in production)
        db.session.commit()
        order = db.session.scalar(select(Order).where(Order.number == order_number))
        refund = db.session.scalar(select(Refund).where(Refund.order_id == order.id))
        assert order.status == OrderStatus.REFUNDED and refund.gateway_refund_id.startswith("re_")
        assert refund.amount == order.total
        assert available_by_variant([shop["variant"]])[shop["variant"]] == 5
        assert ledger_mismatches() == []


def _all_events(app):
    with app.app_context():
        return db.session.scalars(select(PaymentEvent)).all()


def test_declined_card_leaves_the_order_unpaid_until_expiry_releases_the_stock(live_app):
    app = live_app
    shop = _shop(app, stock=3)
    client, token = _checkout(app, shop)
    client.get(f"/pembayaran/{token}")
    client.post(f"/pembayaran/{token}/bayar", data={"payment_method": "pm_card_chargeCustomerFail"})
    def failure_event():
        events = db.session.scalars(select(PaymentEvent).where(PaymentEvent.type == "payment_intent.payment_failed"))
        return [e for e in events if e.payload["data"]["object"]["metadata"].get("checkout_token") == token]
    assert _wait(app, failure_event), [(e.type, e.outcome) for e in _all_events(app)]
    assert "Kartu ditolak" in client.get(f"/pembayaran/{token}").get_data(as_text=True)
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.checkout_token == token))
        assert order.status == OrderStatus.UNPAID
        assert db.session.scalar(select(Payment.status).where(Payment.checkout_token == token)) == \
            PaymentStatus.FAILED
        assert available_by_variant([shop["variant"]])[shop["variant"]] == 1
        assert order.number in orders.expire_unpaid(now=utcnow() + timedelta(minutes=61))
        db.session.commit()
        assert db.session.scalar(select(Order.status).where(Order.checkout_token == token)) == \
            OrderStatus.CANCELLED
        assert available_by_variant([shop["variant"]])[shop["variant"]] == 3
        assert db.session.scalar(select(Cart.completed_at).where(Cart.token == token)) is not None
        assert ledger_mismatches() == []


def test_after_a_declined_card_another_card_pays_the_same_orders(live_app):
    app = live_app
    shop = _shop(app, stock=4)
    client, token = _checkout(app, shop)
    client.get(f"/pembayaran/{token}")
    client.post(f"/pembayaran/{token}/bayar", data={"payment_method": "pm_card_chargeCustomerFail"})
    with app.app_context():
        first_intent = db.session.scalar(select(Payment.intent_id).where(Payment.checkout_token == token))
    client.post(f"/pembayaran/{token}/bayar", data={"payment_method": "pm_card_visa"})

    def paid():
        return db.session.scalar(select(Order.status).where(Order.checkout_token == token)) == OrderStatus.PACKING
    assert _wait(app, paid)
    with app.app_context():
        payment = db.session.scalar(select(Payment).where(Payment.checkout_token == token))
        assert payment.status == PaymentStatus.SUCCEEDED and payment.intent_id != first_intent
        assert payment.attempt == 2
    # A late failure event for the first intent must not undo the payment.
    assert _wait(app, lambda: db.session.scalar(select(func.count()).select_from(PaymentEvent).where(
        PaymentEvent.type == "payment_intent.payment_failed")) >= 1)
    with app.app_context():
        assert db.session.scalar(select(Payment.status).where(Payment.checkout_token == token)) == \
            PaymentStatus.SUCCEEDED


def test_a_payment_arriving_after_expiry_is_refunded_not_oversold(live_app):
    app = live_app
    shop = _shop(app, stock=2)
    client, token = _checkout(app, shop)
    client.get(f"/pembayaran/{token}")
    with app.app_context():
        number = db.session.scalar(select(Order.number).where(Order.checkout_token == token))
        assert number in orders.expire_unpaid(now=utcnow() + timedelta(minutes=61))
        db.session.commit()
        intent_id = db.session.scalar(select(Payment.intent_id).where(Payment.checkout_token == token))
    assert "tidak lagi menunggu pembayaran" in client.get(f"/pembayaran/{token}").get_data(as_text=True)
    # The buyer's browser had the payment form open and Stripe takes the money anyway.
    gateway = stripe.StripeClient(app.config["STRIPE_SECRET_KEY"],
                                  base_addresses={"api": app.config["STRIPE_API_BASE"]})
    gateway.v1.payment_intents.update(intent_id, params={"payment_method": "pm_card_visa"})
    gateway.v1.payment_intents.confirm(intent_id)

    def refunded():
        dispatch_pending()
        db.session.commit()
        return db.session.scalar(select(Order.status).where(Order.number == number)) == OrderStatus.REFUNDED
    assert _wait(app, refunded)
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        refund = db.session.scalar(select(Refund).where(Refund.order_id == order.id))
        assert refund.amount == order.total and refund.gateway_refund_id.startswith("re_")
        assert available_by_variant([shop["variant"]])[shop["variant"]] == 2
        assert ledger_mismatches() == []


def test_a_decline_is_said_once_and_is_gone_after_a_retry_that_pays(live_app):
    """A buyer who still read "Kartu ditolak." after paying with another card might pay a third time."""
    app = live_app
    client, token = _checkout(app, _shop(app, stock=4))
    client.get(f"/pembayaran/{token}")
    declined = client.post(f"/pembayaran/{token}/bayar", data={"payment_method": "pm_card_chargeCustomerFail"},
                           follow_redirects=True).get_data(as_text=True)
    assert declined.count("Kartu ditolak.") == 1
    retried = client.post(f"/pembayaran/{token}/bayar", data={"payment_method": "pm_card_visa"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Kartu ditolak." not in retried and "Silakan coba kartu lain" not in retried
    assert _wait(app, lambda: db.session.scalar(select(Payment.status).where(Payment.checkout_token == token))
                 == PaymentStatus.SUCCEEDED)
    paid = client.get(f"/pembayaran/{token}").get_data(as_text=True)
    assert "Pembayaran diterima" in paid and "Kartu ditolak." not in paid
