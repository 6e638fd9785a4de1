"""Midtrans Core API v2: charge, status, cancel, expire, refund (HTTP Basic with the server key), and the QR
image behind a QRIS/GoPay transaction's `generate-qr-code` action (no key: the buyer's page shows it)."""

import base64
import io
import re

import segno
from flask import Blueprint, current_app, jsonify, request, send_file

from sandboxes.common.signing import same
from sandboxes.midtrans import transactions
from sandboxes.midtrans.platform import MidtransError, http_status

bp = Blueprint("midtrans_api", __name__, url_prefix="/v2")
ORDER_ID = re.compile(r"[A-Za-z0-9\-_.~]{1,50}")
BANKS = ("bca", "bni", "bri", "cimb")
ACQUIRERS = ("gopay", "airpay shopee")
UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
DEFAULT_EXPIRY = 24 * 3600
MAX_EXPIRY = 366 * 86400
MAX_AMOUNT = 10**12 - 1  # far above any method's limit; keeps the numbers inside SQLite's integers
MAX_URLS = 3


def sandbox():
    return current_app.extensions["sandbox"]


def answer(body: dict):
    return jsonify(body), http_status(int(body["status_code"]))


@bp.before_request
def check_server_key():
    if request.endpoint == "midtrans_api.qr_code":
        return
    header = request.headers.get("Authorization", "")
    user = None
    if header.startswith("Basic "):
        try:
            user = base64.b64decode(header[6:], validate=True).decode().partition(":")[0]
        except (ValueError, UnicodeDecodeError):
            user = None
    if user is None or not same(sandbox().platform.server_key, user):
        raise MidtransError(401, "Unknown Merchant server_key/id")


class Invalid(MidtransError):
    def __init__(self, messages: list[str]):
        super().__init__(400, "One or more parameters in the payload is invalid.", validation_messages=messages)


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


def _items(data: dict, gross: int | None, errors: list[str]) -> None:
    items = data.get("item_details")
    if items is None:
        return
    if not isinstance(items, list) or not items:
        errors.append("item_details must be a non-empty list")
        return
    total = 0
    for n, item in enumerate(items):
        price = _whole(item.get("price")) if isinstance(item, dict) else None
        quantity = _whole(item.get("quantity")) if isinstance(item, dict) else None
        if price is None or quantity is None or quantity < 1:
            errors.append(f"item_details[{n}] needs a whole price and a quantity of at least 1")
            return
        if isinstance(item.get("name"), str) and len(item["name"]) > 50:
            errors.append(f"item_details[{n}].name must be at most 50 characters")
        total += price * quantity
    if gross is not None and total != gross:
        errors.append("transaction_details.gross_amount is not equal to the sum of item_details")


def _expiry(data: dict, errors: list[str]) -> int:
    custom = data.get("custom_expiry")
    if custom is None:
        return DEFAULT_EXPIRY
    duration = _whole(custom.get("expiry_duration")) if isinstance(custom, dict) else None
    unit = custom.get("unit") if isinstance(custom, dict) else None
    if duration is None or duration < 1 or unit not in UNITS or duration * UNITS[unit] > MAX_EXPIRY:
        errors.append("custom_expiry needs a whole expiry_duration >= 1 and a unit of second, minute, hour or day, "
                      "at most 366 days in all")
        return DEFAULT_EXPIRY
    return duration * UNITS[unit]


def _method(data: dict, payment_type, errors: list[str]) -> tuple[str | None, str | None]:
    """(bank, acquirer) for the payment type."""
    if payment_type == "bank_transfer":
        bank = (data.get("bank_transfer") or {}).get("bank") if isinstance(data.get("bank_transfer"), dict) else None
        if bank not in BANKS:
            errors.append(f"bank_transfer.bank must be one of {', '.join(BANKS)}")
        return bank, None
    if payment_type == "echannel":
        bill = data.get("echannel")
        if not isinstance(bill, dict) or not all(isinstance(bill.get(k), str) and bill[k].strip()
                                                 for k in ("bill_info1", "bill_info2")):
            errors.append("echannel.bill_info1 and echannel.bill_info2 are required")
        return "mandiri", None
    if payment_type == "permata":
        return "permata", None
    if payment_type == "qris":
        qris = data.get("qris")
        acquirer = qris.get("acquirer", "gopay") if isinstance(qris, dict) else "gopay"
        if (qris is not None and not isinstance(qris, dict)) or acquirer not in ACQUIRERS:
            errors.append("qris.acquirer must be gopay or airpay shopee")
        return None, acquirer
    if payment_type == "gopay":
        return None, "gopay"
    errors.append("payment_type must be one of bank_transfer, echannel, permata, qris, gopay")
    return None, None


def _notify_urls() -> list[str]:
    raw = request.headers.get("X-Override-Notification")
    if raw is None:
        return []
    urls = [url.strip() for url in raw.split(",") if url.strip()]
    if not 1 <= len(urls) <= MAX_URLS or not all(u.startswith(("http://", "https://")) for u in urls):
        raise Invalid([f"X-Override-Notification must hold 1 to {MAX_URLS} http(s) URLs, comma separated"])
    return urls


def checked_charge(data) -> dict:
    if not isinstance(data, dict):
        raise Invalid(["The request body must be a JSON object"])
    errors: list[str] = []
    details = data.get("transaction_details")
    if not isinstance(details, dict):
        errors.append("transaction_details is required")
        details = {}
    order_id, gross = details.get("order_id"), _whole(details.get("gross_amount"))
    if not isinstance(order_id, str) or not ORDER_ID.fullmatch(order_id):
        errors.append("transaction_details.order_id is required: at most 50 of A-Z a-z 0-9 - _ . ~")
    if gross is None or not 1 <= gross <= MAX_AMOUNT:
        errors.append(f"transaction_details.gross_amount must be a whole number of rupiah from 1 to {MAX_AMOUNT}")
        gross = None
    payment_type = data.get("payment_type")
    bank, acquirer = _method(data, payment_type, errors)
    _items(data, gross, errors)
    expiry = _expiry(data, errors)
    for key in ("customer_details",):
        if data.get(key) is not None and not isinstance(data[key], dict):
            errors.append(f"{key} must be an object")
    if errors:
        raise Invalid(errors)
    return {"order_id": order_id, "gross_amount": gross, "payment_type": payment_type, "bank": bank,
            "acquirer": acquirer, "expiry_seconds": expiry, "request": data}


@bp.post("/charge")
def charge():
    checked = checked_charge(request.get_json(silent=True))
    urls = _notify_urls()
    return answer(transactions.create(sandbox(), checked, urls, request.host_url.rstrip("/")))


@bp.get("/<key>/status")
def status(key):
    row = transactions.find(sandbox(), key)
    return answer(transactions.signed(sandbox(), transactions.describe(sandbox(), row)))


@bp.post("/<key>/cancel")
def cancel(key):
    row = transactions.move(sandbox(), key, "cancel")
    return answer(transactions.describe(sandbox(), row, "Success, transaction is canceled"))


@bp.post("/<key>/expire")
def expire(key):
    row = transactions.move(sandbox(), key, "expire")
    return answer(transactions.describe(sandbox(), row, "Success, transaction has expired"))


@bp.post("/<key>/refund")
def refund(key):
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    errors = []
    refund_key = data.get("refund_key")
    if refund_key is None:
        refund_key = transactions.uuid.uuid4().hex
    elif not isinstance(refund_key, str) or not ORDER_ID.fullmatch(refund_key):
        errors.append("refund_key must be at most 50 of A-Z a-z 0-9 - _ . ~")
    amount = data.get("amount")
    if amount is not None and (_whole(amount) is None or not 1 <= _whole(amount) <= MAX_AMOUNT):
        errors.append("amount must be a whole number of rupiah, at least 1")
    reason = data.get("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason) > 255):
        errors.append("reason must be a text of at most 255 characters")
    if errors:
        raise Invalid(errors)
    return answer(transactions.refund(sandbox(), key, refund_key, None if amount is None else _whole(amount),
                                      reason))


@bp.get("/qris/<transaction_id>/qr-code")
def qr_code(transaction_id):
    row = sandbox().store.one("SELECT qr_string FROM mt_transactions WHERE transaction_id = ?", (transaction_id,))
    if row is None or row["qr_string"] is None:
        raise MidtransError(404, "Transaction doesn't exist.")
    image = io.BytesIO()
    segno.make(row["qr_string"], error="m").save(image, kind="png", scale=6, border=4)
    image.seek(0)
    return send_file(image, mimetype="image/png", max_age=0)
