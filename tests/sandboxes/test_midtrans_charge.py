"""Midtrans sandbox, the merchant's calls over real HTTP: the server key is checked, bad charges are refused with
Midtrans' validation messages, an order id is used once, and each payment type answers in its documented shape."""

import re

import pytest
import requests

VA_BODY = {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bni"},
           "transaction_details": {"order_id": "opop-1-a", "gross_amount": 44000}}
WIB_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


@pytest.mark.parametrize("key", [None, "SB-Mid-server-wrong", ""])
def test_calls_without_the_server_key_are_refused(midtrans_sandbox, key):
    if key is None:
        response = requests.post(f"{midtrans_sandbox.base_url}/v2/charge", json=VA_BODY, timeout=10)
    else:
        response = midtrans_sandbox.api("POST", "/v2/charge", VA_BODY, key=key)
    assert response.status_code == 401
    assert response.json()["status_code"] == "401"
    assert response.json()["status_message"] == "Unknown Merchant server_key/id"
    assert midtrans_sandbox.api("GET", "/v2/opop-1-a/status").json()["status_code"] == "404"  # nothing was made


@pytest.mark.parametrize(("change", "words"), [
    ({"payment_type": "ovo"}, "payment_type"),
    ({"bank_transfer": {"bank": "mandiri"}}, "bank_transfer.bank"),
    ({"transaction_details": {"order_id": "opop 1", "gross_amount": 44000}}, "order_id"),
    ({"transaction_details": {"order_id": "x" * 51, "gross_amount": 44000}}, "order_id"),
    ({"transaction_details": {"order_id": "opop-1", "gross_amount": 44000.5}}, "gross_amount"),
    ({"transaction_details": {"order_id": "opop-1", "gross_amount": "44000"}}, "gross_amount"),
    ({"transaction_details": {"order_id": "opop-1", "gross_amount": 0}}, "gross_amount"),
    ({"transaction_details": {"order_id": "opop-1", "gross_amount": 10**30}}, "gross_amount"),
    ({"transaction_details": {"order_id": "opop-1", "gross_amount": True}}, "gross_amount"),
    ({"transaction_details": "opop-1"}, "transaction_details"),
    ({"bank_transfer": ["bca"]}, "bank_transfer.bank"),
    ({"item_details": [["Kopi", 44000, 1]]}, "item_details[0]"),
    ({"item_details": [{"id": "K", "price": 20000, "quantity": 2, "name": "Kopi"}]}, "item_details"),
    ({"custom_expiry": {"expiry_duration": 30, "unit": "week"}}, "custom_expiry"),
    ({"custom_expiry": {"expiry_duration": 10**15, "unit": "day"}}, "custom_expiry"),
    ({"payment_type": "echannel", "echannel": {"bill_info1": "Bayar"}}, "echannel"),
])
def test_invalid_charges_are_refused_with_validation_messages(midtrans_sandbox, change, words):
    response = midtrans_sandbox.api("POST", "/v2/charge", VA_BODY | change)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status_code"] == "400"
    assert any(words in message for message in body["validation_messages"]), body


def test_wrong_method_and_unknown_path_answer_in_midtrans_shape(midtrans_sandbox):
    wrong = midtrans_sandbox.api("GET", "/v2/charge")
    assert wrong.status_code == 405 and wrong.json()["status_code"] == "405"
    missing = midtrans_sandbox.api("GET", "/v2/opop-1/nothing")
    assert missing.status_code == 404 and missing.json()["status_code"] == "404"


def test_a_body_that_is_not_json_is_refused(midtrans_sandbox):
    response = midtrans_sandbox.http.post(f"{midtrans_sandbox.base_url}/v2/charge", data="order=1", timeout=10,
                                          auth=(midtrans_sandbox.server_key, ""))
    assert response.status_code == 400 and response.json()["validation_messages"]


def test_item_details_that_add_up_are_accepted(midtrans_sandbox):
    items = [{"id": "KOPI", "price": 20000, "quantity": 2, "name": "Kopi"},
             {"id": "ONGKIR", "price": 4000, "quantity": 1, "name": "Ongkir"}]
    assert midtrans_sandbox.api("POST", "/v2/charge", VA_BODY | {"item_details": items}).status_code == 201


def test_an_order_id_is_used_once(midtrans_sandbox):
    first = midtrans_sandbox.api("POST", "/v2/charge", VA_BODY)
    again = midtrans_sandbox.api("POST", "/v2/charge", VA_BODY | {"payment_type": "qris"})
    assert first.status_code == 201
    assert again.status_code == 406
    assert again.json() | {"id": None} == {
        "status_code": "406", "status_message": "Duplicate order ID. Order ID has already been utilized previously.",
        "id": None}


def _common(body, order_id, payment_type, amount="44000.00"):
    assert body["status_code"] == "201" and body["transaction_status"] == "pending"
    assert body["order_id"] == order_id and body["payment_type"] == payment_type
    assert body["gross_amount"] == amount and body["currency"] == "IDR" and body["fraud_status"] == "accept"
    assert re.fullmatch(r"[0-9a-f-]{36}", body["transaction_id"])
    assert WIB_TIME.fullmatch(body["transaction_time"]) and WIB_TIME.fullmatch(body["expiry_time"])


@pytest.mark.parametrize("bank", ["bca", "bni", "bri", "cimb"])
def test_bank_transfer_answers_a_va_number(midtrans_sandbox, bank):
    body = midtrans_sandbox.charge(f"opop-va-{bank}", bank_transfer={"bank": bank})
    _common(body, f"opop-va-{bank}", "bank_transfer")
    assert body["status_message"] == "Success, Bank Transfer transaction is created"
    [va] = body["va_numbers"]
    assert va["bank"] == bank and va["va_number"].isdigit() and len(va["va_number"]) >= 10


def test_va_numbers_are_distinct_and_repeatable_per_bank_and_order(midtrans_sandbox):
    numbers = {midtrans_sandbox.charge(f"opop-{n}")["va_numbers"][0]["va_number"] for n in range(20)}
    assert len(numbers) == 20
    first = midtrans_sandbox.charge("opop-again")["va_numbers"][0]["va_number"]
    midtrans_sandbox.reset()
    assert midtrans_sandbox.charge("opop-again")["va_numbers"][0]["va_number"] == first


def test_echannel_answers_bill_key_and_biller_code(midtrans_sandbox):
    body = midtrans_sandbox.charge("opop-mandiri", payment_type="echannel",
                                   echannel={"bill_info1": "Pembayaran:", "bill_info2": "OPOP"})
    _common(body, "opop-mandiri", "echannel")
    assert body["bill_key"].isdigit() and body["biller_code"].isdigit()
    assert "va_numbers" not in body


def test_permata_answers_a_permata_va_number(midtrans_sandbox):
    body = midtrans_sandbox.charge("opop-permata", payment_type="permata")
    _common(body, "opop-permata", "permata")
    assert body["permata_va_number"].isdigit()


@pytest.mark.parametrize("payment_type", ["qris", "gopay"])
def test_qris_and_gopay_answer_a_qr_string_and_a_png(midtrans_sandbox, payment_type):
    body = midtrans_sandbox.charge(f"opop-{payment_type}", 25000, payment_type=payment_type)
    _common(body, f"opop-{payment_type}", payment_type, "25000.00")
    assert body["qr_string"].startswith("000201") and "540525000" in body["qr_string"]
    action = body["actions"][0]
    assert action["name"] == "generate-qr-code" and action["method"] == "GET"
    assert action["url"] == f"{midtrans_sandbox.base_url}/v2/qris/{body['transaction_id']}/qr-code"
    image = requests.get(action["url"], timeout=10)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_qris_acquirer_is_checked(midtrans_sandbox):
    body = midtrans_sandbox.charge("opop-shopeepay", payment_type="qris", qris={"acquirer": "airpay shopee"})
    assert body["acquirer"] == "airpay shopee"
    refused = midtrans_sandbox.api("POST", "/v2/charge", {**VA_BODY, "payment_type": "qris",
                                                          "qris": {"acquirer": "dana"}})
    assert refused.status_code == 400


def test_status_by_order_id_or_transaction_id_and_unknown(midtrans_sandbox):
    charged = midtrans_sandbox.charge("opop-status")
    by_order = midtrans_sandbox.status("opop-status")
    by_id = midtrans_sandbox.status(charged["transaction_id"])
    assert by_order == by_id
    assert by_order["transaction_status"] == "pending" and by_order["status_code"] == "201"
    assert by_order["va_numbers"] == charged["va_numbers"]
    unknown = midtrans_sandbox.api("GET", "/v2/opop-nothing/status")
    assert unknown.status_code == 404
    assert unknown.json()["status_message"] == "Transaction doesn't exist."


def test_custom_expiry_sets_the_expiry_time(midtrans_sandbox):
    body = midtrans_sandbox.charge("opop-expiry", custom_expiry={"expiry_duration": 90, "unit": "minute"})
    from datetime import datetime

    made = datetime.strptime(body["transaction_time"], "%Y-%m-%d %H:%M:%S")
    ends = datetime.strptime(body["expiry_time"], "%Y-%m-%d %H:%M:%S")
    assert (ends - made).total_seconds() == 90 * 60
