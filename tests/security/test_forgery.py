"""From the attacker's side: the development signing key and webhook secret are public (they are in this
repository). Production refuses to start with them; started with real ones, a cookie or a "paid" webhook made with
the public values opens nothing and pays nothing."""

import hashlib
import hmac
import json
import time

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from config import DEV_SECRET_KEY, DEV_STRIPE_WEBHOOK_SECRET
from marketplace.orders.models import OrderStatus


def _cookie_signed_with(app, key: str, data: dict) -> str:
    interface = SecureCookieSessionInterface()
    serializer = URLSafeTimedSerializer(key, salt=interface.salt, serializer=interface.serializer,
                                        signer_kwargs={"key_derivation": interface.key_derivation,
                                                       "digest_method": interface.digest_method})
    return serializer.dumps(data)


def test_a_session_forged_with_the_public_key_opens_nothing(app, db, make_user):
    assert app.config["SECRET_KEY"] != DEV_SECRET_KEY
    admin = make_user(is_opop_admin=True)
    attacker = app.test_client()
    attacker.set_cookie("session", _cookie_signed_with(app, DEV_SECRET_KEY, {"_user_id": admin.get_id(),
                                                                            "_fresh": True}))
    assert attacker.get("/akun").status_code == 302
    assert attacker.get("/opop/").status_code in (302, 403, 404)


def test_production_will_not_run_with_the_public_values(monkeypatch):
    from config import get_config

    monkeypatch.setenv("SECRET_KEY", DEV_SECRET_KEY)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://opop@db/opop")
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_live_x")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", DEV_STRIPE_WEBHOOK_SECRET)
    with pytest.raises(RuntimeError) as refused:
        get_config("production")
    assert "SECRET_KEY" in str(refused.value) and "STRIPE_WEBHOOK_SECRET" in str(refused.value)


@pytest.fixture
def real_webhook_secret(app):
    saved = app.config["STRIPE_WEBHOOK_SECRET"]
    app.config["STRIPE_WEBHOOK_SECRET"] = "whsec_" + "r" * 40
    app.extensions.pop("payment_gateway", None)
    yield
    app.config["STRIPE_WEBHOOK_SECRET"] = saved
    app.extensions.pop("payment_gateway", None)


def test_a_paid_webhook_signed_with_the_public_secret_pays_nothing(app, client, db, make_shop, real_webhook_secret):
    from tests.seller_fixtures import make_paid_order

    shop = make_shop()
    order = make_paid_order(shop.variant, 1, paid=False)
    db.session.commit()
    payload = json.dumps({"id": "evt_forged", "type": "payment_intent.succeeded", "data": {"object": {
        "id": "pi_forged", "object": "payment_intent", "amount": 2500000, "currency": "idr", "status": "succeeded",
        "metadata": {"checkout_token": order.checkout_token}}}}).encode()
    stamp = int(time.time())
    signature = hmac.new(DEV_STRIPE_WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + payload, hashlib.sha256)
    response = client.post("/pembayaran/webhook/stripe", data=payload, content_type="application/json",
                           headers={"Stripe-Signature": f"t={stamp},v1={signature.hexdigest()}"})
    assert response.status_code == 400
    db.session.refresh(order)
    assert order.status == OrderStatus.UNPAID
