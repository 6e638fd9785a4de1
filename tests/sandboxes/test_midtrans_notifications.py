"""Midtrans sandbox notifications, received by the test's own HTTP server: the status body with a signature
checked by the documented formula (SHA-512 of order_id + status_code + gross_amount + server key), sent on
every change, to the X-Override-Notification URLs or the registered one, retried after a non-2xx, duplicated or
dropped when that fault is on."""

import hashlib
import time

import pytest

from tests.sandbox_fixtures import PushReceiver


def _expected_signature(body: dict, server_key: str) -> str:
    text = body["order_id"] + body["status_code"] + body["gross_amount"] + server_key
    return hashlib.sha512(text.encode()).hexdigest()


def _override(receiver) -> dict:
    return {"headers": {"X-Override-Notification": receiver.url}}


def _wait_pushes(sandbox, state: str, count: int = 1, seconds: float = 10) -> list[dict]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pushes = sandbox.ctl("GET", "/pushes", params={"state": state})["pushes"]
        if len(pushes) >= count:
            return pushes
        time.sleep(0.05)
    raise AssertionError(f"no {count} notification(s) in state {state}")


def test_pending_then_settlement_notifications_are_signed(midtrans_sandbox, push_receiver):
    charged = midtrans_sandbox.charge("opop-n-1", 44000, **_override(push_receiver))
    pending = push_receiver.wait_for(1)[0]["json"]
    va = charged["va_numbers"][0]["va_number"]
    assert midtrans_sandbox.ctl("POST", "/pay", {"va_number": va})["transaction_status"] == "settlement"
    settled = push_receiver.wait_for(2)[1]["json"]

    for body, status, code in ((pending, "pending", "201"), (settled, "settlement", "200")):
        assert body["signature_key"] == _expected_signature(body, midtrans_sandbox.server_key)
        assert body["transaction_status"] == status and body["status_code"] == code
        assert body["order_id"] == "opop-n-1" and body["transaction_id"] == charged["transaction_id"]
        assert body["gross_amount"] == "44000.00" and body["payment_type"] == "bank_transfer"
        assert body["fraud_status"] == "accept" and body["va_numbers"] == charged["va_numbers"]
    assert "settlement_time" in settled and "settlement_time" not in pending
    assert settled["transaction_time"] == charged["transaction_time"]


def test_a_wrong_server_key_makes_a_different_signature(midtrans_sandbox, push_receiver):
    midtrans_sandbox.charge("opop-n-2", **_override(push_receiver))
    body = push_receiver.wait_for(1)[0]["json"]
    assert body["signature_key"] != _expected_signature(body, "SB-Mid-server-someone-else")


def test_the_registered_url_gets_them_without_an_override(midtrans_sandbox, push_receiver):
    midtrans_sandbox.ctl("PUT", "/push-callback", {"url": push_receiver.url})
    midtrans_sandbox.charge("opop-n-3", payment_type="qris")
    assert push_receiver.wait_for(1)[0]["json"]["order_id"] == "opop-n-3"


def test_an_override_with_two_urls_notifies_both_and_not_the_registered_one(midtrans_sandbox, push_receiver):
    other, registered = PushReceiver(), PushReceiver()
    try:
        midtrans_sandbox.ctl("PUT", "/push-callback", {"url": registered.url})
        midtrans_sandbox.charge("opop-n-4", headers={"X-Override-Notification": f"{push_receiver.url},{other.url}"})
        assert push_receiver.wait_for(1)[0]["json"]["order_id"] == "opop-n-4"
        assert other.wait_for(1)[0]["json"]["order_id"] == "opop-n-4"
        _wait_pushes(midtrans_sandbox, "delivered", 2)
        assert registered.received == []
    finally:
        other.close()
        registered.close()


@pytest.mark.parametrize("header", ["ftp://example.test/hook",
                                    "http://a.test,http://b.test,http://c.test,http://d.test"])
def test_a_bad_override_header_is_refused(midtrans_sandbox, header):
    response = midtrans_sandbox.api("POST", "/v2/charge", {
        "payment_type": "gopay", "transaction_details": {"order_id": "opop-n-5", "gross_amount": 1000}},
        headers={"X-Override-Notification": header})
    assert response.status_code == 400 and "X-Override-Notification" in response.json()["validation_messages"][0]


def test_a_notification_answered_500_is_sent_again(midtrans_sandbox, push_receiver):
    push_receiver.statuses = [500, 503]
    midtrans_sandbox.charge("opop-n-6", **_override(push_receiver))
    attempts = push_receiver.wait_for(3)
    assert [a["status"] for a in attempts] == [500, 503, 200]
    assert attempts[0]["raw"] == attempts[1]["raw"] == attempts[2]["raw"]
    assert attempts[1]["at"] - attempts[0]["at"] >= 0.18  # the test sandbox's retry base is 0.2 s ...
    assert attempts[2]["at"] - attempts[1]["at"] >= 0.38  # ... doubled for the next try
    assert _wait_pushes(midtrans_sandbox, "delivered")[0]["attempts"] == 3


def test_a_slow_receiver_is_a_timeout_and_is_retried(midtrans_sandbox, push_receiver):
    midtrans_sandbox.ctl("PUT", "/config", {"push_timeout": 0.3})
    push_receiver.delay = 0.6
    midtrans_sandbox.charge("opop-n-7", **_override(push_receiver))
    push_receiver.wait_for(1)
    push_receiver.delay = 0.0
    assert len(push_receiver.wait_for(2)) == 2
    pushes = midtrans_sandbox.ctl("GET", "/pushes")["pushes"]
    assert pushes[0]["attempts"] >= 2


def test_duplicate_notifications_fault_sends_the_same_notification_twice(midtrans_sandbox, push_receiver):
    midtrans_sandbox.ctl("PUT", "/faults", {"duplicate_notifications": True})
    midtrans_sandbox.charge("opop-n-8", **_override(push_receiver))
    first, second = push_receiver.wait_for(2)[:2]
    assert first["raw"] == second["raw"]
    assert first["json"]["transaction_status"] == "pending"


def test_drop_notifications_fault_sends_none_but_the_status_still_tells(midtrans_sandbox, push_receiver):
    midtrans_sandbox.ctl("PUT", "/faults", {"drop_notifications": True})
    midtrans_sandbox.charge("opop-n-9", payment_type="qris", **_override(push_receiver))
    midtrans_sandbox.ctl("POST", "/pay", {"order_id": "opop-n-9"})
    assert len(_wait_pushes(midtrans_sandbox, "lost", 2)) == 2
    assert push_receiver.received == []
    assert midtrans_sandbox.status("opop-n-9")["transaction_status"] == "settlement"
