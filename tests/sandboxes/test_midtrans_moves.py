"""Midtrans sandbox, a transaction's life over real HTTP: the buyer pays (control API or the simulator page),
the merchant cancels or expires, the clock expires it, QRIS/GoPay money is refunded (once per refund_key), VA
money is not; and the injected 5xx and timeout faults."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests


def _wait_status(sandbox, key: str, status: str, seconds: float = 5) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = sandbox.status(key)
        if body["transaction_status"] == status:
            return body
        time.sleep(0.05)
    raise AssertionError(f"{key} never became {status}: {body}")


@pytest.mark.parametrize("how", ["va_number", "transaction_id", "order_id"])
def test_the_buyer_pays_by_va_number_transaction_id_or_order_id(midtrans_sandbox, how):
    charged = midtrans_sandbox.charge("opop-m-1", 52000)
    key = charged["va_numbers"][0]["va_number"] if how == "va_number" else charged[how]
    paid = midtrans_sandbox.ctl("POST", "/pay", {how: key})
    assert paid["transaction_status"] == "settlement" and paid["status_code"] == "200"
    status = midtrans_sandbox.status("opop-m-1")
    assert status["transaction_status"] == "settlement" and status["status_code"] == "200"
    assert status["settlement_time"] >= status["transaction_time"]
    again = midtrans_sandbox.control("POST", "/pay", {how: key})
    assert again.status_code == 409  # paid once only


def test_a_va_paid_from_several_places_at_once_is_paid_once(midtrans_sandbox, push_receiver):
    number = midtrans_sandbox.charge("opop-m-20", headers={"X-Override-Notification": push_receiver.url})[
        "va_numbers"][0]["va_number"]
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: midtrans_sandbox.control("POST", "/pay", {"va_number": number}),
                                range(6)))
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409, 409, 409]
    notes = push_receiver.wait_for(2)
    assert [n["json"]["transaction_status"] for n in notes] == ["pending", "settlement"]
    pushes = midtrans_sandbox.ctl("GET", "/pushes")["pushes"]
    assert [p["body"]["transaction_status"] for p in pushes] == ["pending", "settlement"]


def test_a_mandiri_bill_key_and_a_permata_va_are_payable(midtrans_sandbox):
    bill = midtrans_sandbox.charge("opop-m-2", payment_type="echannel",
                                   echannel={"bill_info1": "Bayar", "bill_info2": "OPOP"})
    permata = midtrans_sandbox.charge("opop-m-3", payment_type="permata")
    midtrans_sandbox.ctl("POST", "/pay", {"bill_key": bill["bill_key"]})
    midtrans_sandbox.ctl("POST", "/pay", {"va_number": permata["permata_va_number"]})
    assert midtrans_sandbox.status("opop-m-2")["transaction_status"] == "settlement"
    assert midtrans_sandbox.status("opop-m-3")["transaction_status"] == "settlement"


def test_paying_an_unknown_number_is_refused(midtrans_sandbox):
    assert midtrans_sandbox.control("POST", "/pay", {"va_number": "99999999999"}).status_code == 404
    assert midtrans_sandbox.control("POST", "/pay", {}).status_code == 400


def test_the_simulator_page_pays_a_va_typed_in(midtrans_sandbox):
    charged = midtrans_sandbox.charge("opop-m-4", 44000)
    page = requests.get(f"{midtrans_sandbox.base_url}/simulator", timeout=10)
    assert page.status_code == 200 and 'name="va_number"' in page.text and "<script" not in page.text
    number = charged["va_numbers"][0]["va_number"]
    done = requests.post(f"{midtrans_sandbox.base_url}/simulator", data={"va_number": number}, timeout=10)
    assert done.status_code == 200
    assert "Pembayaran berhasil" in done.text and "Rp 44.000" in done.text and "opop-m-4" in done.text
    assert midtrans_sandbox.status("opop-m-4")["transaction_status"] == "settlement"
    twice = requests.post(f"{midtrans_sandbox.base_url}/simulator", data={"va_number": number}, timeout=10)
    assert twice.status_code == 409 and "Pembayaran gagal" in twice.text and "berhasil" not in twice.text


def test_the_simulator_lists_pending_qris_and_pays_the_one_picked(midtrans_sandbox):
    midtrans_sandbox.charge("opop-m-5", 15000, payment_type="qris")
    midtrans_sandbox.charge("opop-m-6", 16000, payment_type="gopay")
    page = requests.get(f"{midtrans_sandbox.base_url}/simulator", timeout=10).text
    assert 'value="opop-m-5"' in page and 'value="opop-m-6"' in page and "Rp 15.000" in page
    done = requests.post(f"{midtrans_sandbox.base_url}/simulator", data={"order_id": "opop-m-6"}, timeout=10)
    assert "Pembayaran berhasil" in done.text
    assert 'value="opop-m-6"' not in done.text and 'value="opop-m-5"' in done.text  # paid ones leave the list
    assert midtrans_sandbox.status("opop-m-5")["transaction_status"] == "pending"


def test_cancel_a_pending_transaction_and_not_a_settled_one(midtrans_sandbox):
    midtrans_sandbox.charge("opop-m-7")
    cancelled = midtrans_sandbox.api("POST", "/v2/opop-m-7/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["transaction_status"] == "cancel" and cancelled.json()["status_code"] == "200"
    assert midtrans_sandbox.control("POST", "/pay", {"order_id": "opop-m-7"}).status_code == 409
    midtrans_sandbox.charge("opop-m-8")
    midtrans_sandbox.ctl("POST", "/pay", {"order_id": "opop-m-8"})
    refused = midtrans_sandbox.api("POST", "/v2/opop-m-8/cancel")
    assert refused.status_code == 412 and refused.json()["status_message"] == "Transaction status cannot be updated."
    assert midtrans_sandbox.api("POST", "/v2/opop-nothing/cancel").status_code == 404


def test_expire_through_the_api_and_expire_now(midtrans_sandbox, push_receiver):
    midtrans_sandbox.charge("opop-m-9", headers={"X-Override-Notification": push_receiver.url})
    expired = midtrans_sandbox.api("POST", "/v2/opop-m-9/expire").json()
    assert expired["transaction_status"] == "expire" and expired["status_code"] == "407"
    assert midtrans_sandbox.status("opop-m-9")["status_code"] == "407"
    assert push_receiver.wait_for(2)[1]["json"]["transaction_status"] == "expire"
    assert midtrans_sandbox.api("POST", "/v2/opop-m-9/expire").status_code == 412

    midtrans_sandbox.charge("opop-m-10", payment_type="qris")
    assert midtrans_sandbox.ctl("POST", "/transactions/opop-m-10/expire-now")["transaction_status"] == "expire"
    assert midtrans_sandbox.control("POST", "/pay", {"order_id": "opop-m-10"}).status_code == 409
    assert midtrans_sandbox.control("POST", "/transactions/opop-m-10/expire-now").status_code == 409


def test_a_pending_transaction_expires_by_itself_at_its_expiry_time(midtrans_sandbox, push_receiver):
    midtrans_sandbox.charge("opop-m-11", custom_expiry={"expiry_duration": 1, "unit": "second"},
                            headers={"X-Override-Notification": push_receiver.url})
    midtrans_sandbox.charge("opop-m-12", custom_expiry={"expiry_duration": 1, "unit": "second"})
    midtrans_sandbox.ctl("POST", "/pay", {"order_id": "opop-m-12"})  # paid in time: stays paid
    assert midtrans_sandbox.status("opop-m-11")["transaction_status"] == "pending"
    expired = _wait_status(midtrans_sandbox, "opop-m-11", "expire")
    assert expired["status_code"] == "407"
    note = push_receiver.wait_for(2)[1]["json"]
    assert note["transaction_status"] == "expire" and note["status_code"] == "407"
    assert midtrans_sandbox.status("opop-m-12")["transaction_status"] == "settlement"


def _paid_qris(sandbox, order_id, amount=30000, payment_type="qris"):
    sandbox.charge(order_id, amount, payment_type=payment_type)
    sandbox.ctl("POST", "/pay", {"order_id": order_id})


@pytest.mark.parametrize("payment_type", ["qris", "gopay"])
def test_qris_and_gopay_are_refunded_in_parts_then_in_full(midtrans_sandbox, payment_type):
    _paid_qris(midtrans_sandbox, "opop-m-13", 30000, payment_type)
    part = midtrans_sandbox.api("POST", "/v2/opop-m-13/refund",
                                {"refund_key": "rf-1", "amount": 10000, "reason": "Stok habis"})
    assert part.status_code == 200, part.text
    assert part.json()["transaction_status"] == "partial_refund" and part.json()["refund_amount"] == "10000.00"
    rest = midtrans_sandbox.api("POST", "/v2/opop-m-13/refund", {"refund_key": "rf-2", "amount": 20000})
    assert rest.json()["transaction_status"] == "refund"
    status = midtrans_sandbox.status("opop-m-13")
    assert status["transaction_status"] == "refund" and status["refund_amount"] == "30000.00"
    assert [r["refund_key"] for r in status["refunds"]] == ["rf-1", "rf-2"]
    over = midtrans_sandbox.api("POST", "/v2/opop-m-13/refund", {"refund_key": "rf-3", "amount": 1})
    assert over.status_code == 412


def test_a_refund_asked_twice_with_one_key_refunds_once(midtrans_sandbox, push_receiver):
    midtrans_sandbox.ctl("PUT", "/push-callback", {"url": push_receiver.url})
    _paid_qris(midtrans_sandbox, "opop-m-14", 30000)
    first = midtrans_sandbox.api("POST", "/v2/opop-m-14/refund", {"refund_key": "rf-a", "amount": 5000}).json()
    again = midtrans_sandbox.api("POST", "/v2/opop-m-14/refund", {"refund_key": "rf-a", "amount": 5000}).json()
    assert first == again
    assert midtrans_sandbox.status("opop-m-14")["refund_amount"] == "5000.00"
    notes = push_receiver.wait_for(3)
    assert [n["json"]["transaction_status"] for n in notes] == ["pending", "settlement", "partial_refund"]


def test_va_and_unpaid_transactions_are_not_refunded(midtrans_sandbox):
    midtrans_sandbox.charge("opop-m-15")
    midtrans_sandbox.ctl("POST", "/pay", {"order_id": "opop-m-15"})
    va = midtrans_sandbox.api("POST", "/v2/opop-m-15/refund", {"refund_key": "rf-va", "amount": 44000})
    assert va.status_code == 412 and va.json()["status_message"] == "Payment Type is not supported for refund"
    assert midtrans_sandbox.status("opop-m-15")["transaction_status"] == "settlement"
    midtrans_sandbox.charge("opop-m-16", payment_type="qris")
    unpaid = midtrans_sandbox.api("POST", "/v2/opop-m-16/refund", {"refund_key": "rf-q", "amount": 1000})
    assert unpaid.status_code == 412
    bad = midtrans_sandbox.api("POST", "/v2/opop-m-16/refund", {"refund_key": "rf q", "amount": -5})
    assert bad.status_code == 400 and len(bad.json()["validation_messages"]) == 2


def test_injected_5xx_answers_in_midtrans_shape_and_touches_nothing(midtrans_sandbox):
    midtrans_sandbox.ctl("PUT", "/faults", {"error_rate": 1.0, "error_status": 503})
    response = midtrans_sandbox.api("POST", "/v2/charge", {
        "payment_type": "qris", "transaction_details": {"order_id": "opop-m-17", "gross_amount": 1000}})
    assert response.status_code == 503 and response.json()["status_code"] == "503"
    assert requests.get(f"{midtrans_sandbox.base_url}/simulator", timeout=10).status_code == 200  # pages unaffected
    midtrans_sandbox.ctl("PUT", "/faults", {"error_rate": 0.0})
    assert midtrans_sandbox.api("GET", "/v2/opop-m-17/status").status_code == 404
    assert midtrans_sandbox.control("PUT", "/faults", {"error_status": 404}).status_code == 400
    log = midtrans_sandbox.requests_log(api="/v2/charge")
    assert [r["status"] for r in log["requests"]] == [503]


def test_injected_timeout_hangs_then_answers_504(midtrans_sandbox):
    midtrans_sandbox.ctl("PUT", "/faults", {"timeout_rate": 1.0, "timeout_seconds": 0.5})
    with pytest.raises(requests.Timeout):
        midtrans_sandbox.api("GET", "/v2/opop-m-18/status", timeout=0.2)
    started = time.monotonic()
    response = midtrans_sandbox.api("GET", "/v2/opop-m-18/status")
    assert response.status_code == 504 and response.json()["status_code"] == "504"
    assert time.monotonic() - started >= 0.45


def test_the_front_page_lists_recent_transactions(midtrans_sandbox):
    midtrans_sandbox.charge("opop-m-19", 61000)
    page = requests.get(f"{midtrans_sandbox.base_url}/", timeout=10)
    assert page.status_code == 200 and "opop-m-19" in page.text and "Rp 61.000" in page.text
    assert 'href="/simulator"' in page.text
