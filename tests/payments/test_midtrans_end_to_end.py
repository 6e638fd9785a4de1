"""Virtual accounts and QRIS end to end over real HTTP: our app (live, on a free port) charges the Midtrans-shaped
sandbox (its own process), the sandbox's `/_sandbox/pay` plays the buyer's bank, and the signed notification comes
back to our webhook. The order stays "Belum bayar" until then, and becomes "Dikemas" once."""

import time
from datetime import datetime, timedelta

import pytest
import requests
from sqlalchemy import func, select

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.inventory.queries import available_by_variant
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderStatus, OrderStatusChange
from marketplace.outbox.services import dispatch_pending
from marketplace.payments import refunds
from marketplace.payments.models import GatewayCharge, Payment, PaymentEvent, PaymentStatus
from tests.payments.test_stripe_end_to_end import _checkout, _shop


@pytest.fixture
def app(live_app, midtrans_sandbox):
    """The live app pointed at this session's sandbox (the sandbox's notifications go to the live app)."""
    live_app.config["MIDTRANS_API_BASE"] = midtrans_sandbox.base_url
    yield live_app
    drain_outbox(live_app)


def drain_outbox(app) -> None:
    """Sends what this test left in the outbox (the live app is shared): an eager task committing inside another
    test's dispatch would end that dispatch early."""
    with app.app_context():
        dispatch_pending()
        db.session.commit()


def _payment(app, token) -> dict:
    with app.app_context():
        payment = db.session.scalar(select(Payment).where(Payment.checkout_token == token))
        order_list = db.session.scalars(select(Order).where(Order.checkout_token == token)).all()
        return {"id": payment.id, "status": payment.status, "method": payment.method,
                "details": dict(payment.details or {}), "orders": [o.status for o in order_list],
                "order_ids": [o.id for o in order_list]}


def _wait(app, token, predicate, seconds: float = 10.0) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        state = _payment(app, token)
        if predicate(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def _sandbox(sandbox, method: str, path: str, body=None) -> requests.Response:
    return requests.request(method, f"{sandbox.base_url}{path}", json=body, timeout=10)


def _status(sandbox, order_ref: str) -> dict:
    from config import DEV_MIDTRANS_SERVER_KEY

    return requests.get(f"{sandbox.base_url}/v2/{order_ref}/status", timeout=10,
                        auth=(DEV_MIDTRANS_SERVER_KEY, "")).json()


def _choose(client, token, method):
    return client.post(f"/pembayaran/{token}/metode", data={"method": method})


def _available(app, shop) -> int:
    with app.app_context():
        return available_by_variant([shop["variant"]])[shop["variant"]]


def test_va_paid_at_the_bank_marks_the_orders_paid_once(app, midtrans_sandbox):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    assert _choose(client, token, "va_bca").status_code == 302
    state = _payment(app, token)
    number = state["details"]["va_number"]
    page = client.get(f"/pembayaran/{token}").get_data(as_text=True)
    assert number and number in page and "BCA" in page and "Cek status pembayaran" in page
    assert state["orders"] == [OrderStatus.UNPAID]
    charged = _status(midtrans_sandbox, state["details"]["charge"])
    assert (charged["transaction_status"], charged["gross_amount"]) == ("pending", f"{state_amount(app, token)}.00")

    assert _sandbox(midtrans_sandbox, "POST", "/_sandbox/pay", {"va_number": number}).ok
    state = _wait(app, token, lambda s: s["status"] == PaymentStatus.SUCCEEDED)
    assert state["orders"] == [OrderStatus.PACKING], "the settlement notification did not arrive"
    assert _available(app, shop) == 3  # 5 in stock, 2 sold: the stock stays allocated
    with app.app_context():
        event = db.session.scalar(select(PaymentEvent).where(PaymentEvent.gateway == "midtrans",
                                                             PaymentEvent.outcome == "paid",
                                                             PaymentEvent.payload["order_id"].as_string()
                                                             == state["details"]["charge"]))
        payload = dict(event.payload)
        history = db.session.scalar(select(func.count()).select_from(OrderStatusChange))
    # The same notification again (the gateway retries): stored once, paid once.
    again = requests.post(f"{app.config['PUBLIC_BASE_URL']}/pembayaran/webhook/midtrans", json=payload, timeout=5)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OrderStatusChange)) == history
    assert "Pembayaran diterima" in client.get(f"/pembayaran/{token}").get_data(as_text=True)


def state_amount(app, token) -> int:
    with app.app_context():
        return db.session.scalar(select(Payment.amount).where(Payment.checkout_token == token))


def test_qris_paid_through_the_sandbox_and_found_by_the_status_check(app, midtrans_sandbox):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    _choose(client, token, "qris")
    state = _payment(app, token)
    assert state["details"]["qr_string"]
    image = client.get(f"/pembayaran/{token}/qris.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    # only the status check can tell:
    assert _sandbox(midtrans_sandbox, "PUT", "/_sandbox/faults", {"drop_push_rate": 1.0}).ok
    assert _sandbox(midtrans_sandbox, "POST", "/_sandbox/pay",
                    {"transaction_id": state["details"]["transaction_id"]}).ok
    response = client.post(f"/pembayaran/{token}/cek")
    assert response.status_code == 302
    state = _payment(app, token)
    assert (state["status"], state["orders"]) == (PaymentStatus.SUCCEEDED, [OrderStatus.PACKING])
    assert _available(app, shop) == 3


def test_switching_va_to_qris_cancels_the_va_at_the_gateway(app, midtrans_sandbox):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    _choose(client, token, "va_bni")
    va = _payment(app, token)["details"]
    _choose(client, token, "qris")
    state = _payment(app, token)
    assert state["method"] == "qris" and state["details"]["charge"] != va["charge"]
    assert _status(midtrans_sandbox, va["charge"])["transaction_status"] == "cancel"
    assert not _sandbox(midtrans_sandbox, "POST", "/_sandbox/pay", {"va_number": va["va_number"]}).ok
    assert _payment(app, token)["status"] == PaymentStatus.PENDING


@pytest.mark.parametrize("fault", [{"error_rate": 1.0}, {"timeout_rate": 1.0, "timeout_seconds": 0.5}])
def test_gateway_down_says_so_and_leaves_nothing_half_done(app, midtrans_sandbox, fault):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    assert _sandbox(midtrans_sandbox, "PUT", "/_sandbox/faults", fault).ok
    response = client.post(f"/pembayaran/{token}/metode", data={"method": "va_bri"}, follow_redirects=True)
    assert "tidak bisa dihubungi" in response.get_data(as_text=True)
    state = _payment(app, token)
    assert state["method"] is None and state["orders"] == [OrderStatus.UNPAID]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GatewayCharge)
                                 .where(GatewayCharge.payment_id == state["id"])) == 0


def test_our_expiry_cancels_the_orders_releases_stock_and_cancels_the_va(app, midtrans_sandbox):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    _choose(client, token, "va_bri")
    state = _payment(app, token)
    assert _available(app, shop) == 3
    with app.app_context():
        for order in db.session.scalars(select(Order).where(Order.checkout_token == token)):
            order.payment_due_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        orders.expire_unpaid()
        db.session.commit()
        dispatch_pending()  # after commit: the handler sends the cancel task (eager here)
        db.session.commit()
    assert _payment(app, token)["orders"] == [OrderStatus.CANCELLED]
    assert _available(app, shop) == 5
    assert _status(midtrans_sandbox, state["details"]["charge"])["transaction_status"] == "cancel"


def test_gateway_expiry_past_the_deadline_cancels_the_orders(app, midtrans_sandbox):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    _choose(client, token, "va_bca")
    state = _payment(app, token)
    with app.app_context():
        for order in db.session.scalars(select(Order).where(Order.checkout_token == token)):
            order.payment_due_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _sandbox(midtrans_sandbox, "POST", f"/_sandbox/transactions/{state['details']['charge']}/expire-now").ok
    state = _wait(app, token, lambda s: s["orders"] == [OrderStatus.CANCELLED])
    assert state["orders"] == [OrderStatus.CANCELLED] and _available(app, shop) == 5


def test_gateway_expiry_before_the_deadline_lets_the_buyer_choose_again(app, midtrans_sandbox):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    _choose(client, token, "qris")
    state = _payment(app, token)
    assert _sandbox(midtrans_sandbox, "POST", f"/_sandbox/transactions/{state['details']['charge']}/expire-now").ok
    state = _wait(app, token, lambda s: s["method"] is None)
    assert state["method"] is None and state["orders"] == [OrderStatus.UNPAID]
    assert "sudah tidak berlaku" in client.get(f"/pembayaran/{token}").get_data(as_text=True)
    _choose(client, token, "qris")
    assert _payment(app, token)["method"] == "qris"


def _pay_and_cancel_by_seller(app, sandbox, method):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    _choose(client, token, method)
    details = _payment(app, token)["details"]
    key = {"va_number": details["va_number"]} if "va_number" in details else {"transaction_id":
                                                                               details["transaction_id"]}
    assert _sandbox(sandbox, "POST", "/_sandbox/pay", key).ok
    state = _wait(app, token, lambda s: s["status"] == PaymentStatus.SUCCEEDED)
    with app.app_context():
        order = db.session.get(Order, state["order_ids"][0])
        orders.cancel_by_seller(order, shop["seller"], "Stok rusak")
        db.session.commit()
        dispatch_pending()
        db.session.commit()
        order = db.session.get(Order, state["order_ids"][0])
        return details, order.status, refunds.refund_of_order(order.id)


def test_qris_money_goes_back_through_the_refund_api(app, midtrans_sandbox):
    details, status, refund = _pay_and_cancel_by_seller(app, midtrans_sandbox, "qris")
    assert status == OrderStatus.REFUNDED and refund.status == "succeeded"
    assert _status(midtrans_sandbox, details["charge"])["transaction_status"] in ("refund", "partial_refund")


def test_va_money_goes_back_by_hand(app, midtrans_sandbox):
    details, status, refund = _pay_and_cancel_by_seller(app, midtrans_sandbox, "va_bni")
    assert status == OrderStatus.REFUND_PENDING and refund.status == "manual"
    assert _status(midtrans_sandbox, details["charge"])["transaction_status"] == "settlement"


def test_a_settlement_after_our_expiry_is_refunded_not_kept(app, midtrans_sandbox):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    _choose(client, token, "qris")
    details = _payment(app, token)["details"]
    with app.app_context():
        for order in db.session.scalars(select(Order).where(Order.checkout_token == token)):
            order.payment_due_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        orders.expire_unpaid()
        db.session.commit()  # the cancel task has not run yet: the buyer pays in between
    assert _sandbox(midtrans_sandbox, "POST", "/_sandbox/pay", {"transaction_id": details["transaction_id"]}).ok
    state = _wait(app, token, lambda s: s["status"] == PaymentStatus.SUCCEEDED)
    assert state["orders"] == [OrderStatus.REFUND_PENDING]
    with app.app_context():
        dispatch_pending()
        db.session.commit()
    assert _payment(app, token)["orders"] == [OrderStatus.REFUNDED]
    assert _status(midtrans_sandbox, details["charge"])["transaction_status"] in ("refund", "partial_refund")


def test_switching_away_from_a_va_paid_a_moment_ago_is_refused_and_the_payment_counted(app, midtrans_sandbox):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    _choose(client, token, "va_bca")
    va = _payment(app, token)["details"]
    assert _sandbox(midtrans_sandbox, "PUT", "/_sandbox/faults", {"drop_push_rate": 1.0}).ok  # the word is late
    assert _sandbox(midtrans_sandbox, "POST", "/_sandbox/pay", {"va_number": va["va_number"]}).ok
    response = client.post(f"/pembayaran/{token}/metode", data={"method": "qris"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "sudah masuk" in page and "Pembayaran diterima" in page  # the page's status check counted it
    state = _payment(app, token)
    assert (state["method"], state["status"], state["orders"]) == ("va_bca", PaymentStatus.SUCCEEDED,
                                                                   [OrderStatus.PACKING])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GatewayCharge)
                                 .where(GatewayCharge.payment_id == state["id"])) == 1  # no QRIS was opened


@pytest.mark.parametrize("method, shown", [("va_bni", "va_number"), ("va_bri", "va_number"),
                                           ("va_mandiri", "biller_code"), ("va_permata", "va_number"),
                                           ("gopay", "qr_string")])
def test_every_bank_and_wallet_opens_a_charge_the_buyer_can_pay(app, midtrans_sandbox, method, shown):
    shop = _shop(app)
    client, token = _checkout(app, shop)
    _choose(client, token, method)
    details = _payment(app, token)["details"]
    assert details[shown], details
    charged = _status(midtrans_sandbox, details["charge"])
    due_seconds = (charged_expiry(charged) - charged_time(charged)).total_seconds()
    assert 55 * 60 < due_seconds <= 60 * 60  # expires with the orders (ORDER_PAYMENT_MINUTES = 60)
    key = ({"va_number": details["va_number"]} if "va_number" in details else
           {"transaction_id": details["transaction_id"]})
    assert _sandbox(midtrans_sandbox, "POST", "/_sandbox/pay", key).ok
    assert _wait(app, token, lambda s: s["status"] == PaymentStatus.SUCCEEDED)["orders"] == [OrderStatus.PACKING]



def charged_time(body) -> datetime:
    return datetime.strptime(body["transaction_time"], "%Y-%m-%d %H:%M:%S")


def charged_expiry(body) -> datetime:
    return datetime.strptime(body["expiry_time"], "%Y-%m-%d %H:%M:%S")
