"""A cart waiting for its money at the Midtrans-shaped gateway, with two charges (a VA the buyer switched away
from, and the current QRIS), and the gateway's words about them, signed as the gateway signs them."""

from datetime import timedelta

import pytest

from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.core.timeutil import utcnow
from marketplace.inventory.services import set_stock
from marketplace.payments import midtrans
from marketplace.payments.models import GatewayCharge, Payment
from tests.factories import verified_koperasi
from tests.seller_fixtures import make_paid_order
from tests.stock_fixtures import warehouse_of

KEY = "SB-Mid-server-test"


@pytest.fixture
def cart(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MIDTRANS_SERVER_KEY", KEY)
    koperasi = verified_koperasi("Kopontren Notifikasi", "kab-kediri", "9100000005071")
    product = catalog.create_product(koperasi, "Kopi Notifikasi", status=ProductStatus.PUBLISHED)
    variant = catalog.add_variant(product, "KOPI-NTF-1", 45000, 250)
    set_stock(variant, warehouse_of(koperasi), 5)
    order = make_paid_order(variant, 2, paid=False)
    order.payment_due_at = utcnow() + timedelta(minutes=30)
    payment = Payment(checkout_token=order.checkout_token, amount=order.total, gateway="midtrans", method="va_bca")
    db.session.add(payment)
    db.session.flush()
    order.payment_id = payment.id
    charges = [make_charge(db, payment, "va_bca", "a"), make_charge(db, payment, "qris", "b")]
    payment.details = {"charge": charges[1].order_ref}  # the buyer switched VA → QRIS
    payment.method = "qris"
    db.session.flush()
    return {"payment": payment, "order": order, "variant": variant, "va": charges[0], "qris": charges[1]}


def make_charge(db, payment, method, suffix):
    charge = GatewayCharge(payment_id=payment.id, order_ref=f"opop-{payment.id}-{suffix}",
                           transaction_id=f"tx-{payment.id}-{suffix}", method=method, amount=payment.amount,
                           status="pending", expires_at=utcnow() + timedelta(minutes=30))
    db.session.add(charge)
    db.session.flush()
    return charge


def note(charge, status, amount=None, key=KEY, status_code=None):
    gross = f"{amount if amount is not None else charge.amount}.00"
    code = status_code or {"settlement": "200", "pending": "201", "expire": "407", "cancel": "200"}[status]
    body = {"order_id": charge.order_ref, "transaction_id": charge.transaction_id, "transaction_status": status,
            "status_code": code, "gross_amount": gross, "payment_type": "qris", "fraud_status": "accept"}
    body["signature_key"] = midtrans.signature(charge.order_ref, code, gross, key)
    return body
