"""The transactions: numbers handed to the buyer (VA numbers, bill keys, QRIS strings), the state moves (pay,
cancel, expire, refund), the status body every answer and notification is built from, and the notifications."""

import hashlib
import json
import time
import uuid
from datetime import datetime, timedelta, timezone

from sandboxes.midtrans.platform import MidtransError

WIB = timezone(timedelta(hours=7))  # Asia/Jakarta keeps no daylight saving
STATUS_CODES = {"pending": 201, "settlement": 200, "capture": 200, "cancel": 200, "refund": 200,
                "partial_refund": 200, "expire": 407}
VA_TYPES = ("bank_transfer", "echannel", "permata")
QR_TYPES = ("qris", "gopay")
# bank -> (prefix, length) of its VA numbers; "mandiri" is the echannel bill key
VA_FORMATS = {"bca": ("503", 11), "bni": ("988503", 16), "bri": ("503", 15), "cimb": ("503", 16),
              "permata": ("8503", 16), "mandiri": ("503", 12)}
BILLER_CODE = "70012"
CREATED_MESSAGES = {"bank_transfer": "Success, Bank Transfer transaction is created",
                    "echannel": "OK, Mandiri Bill transaction is successful",
                    "permata": "Success, PERMATA VA transaction is successful",
                    "qris": "Success, QRIS transaction is created", "gopay": "GoPay transaction is created"}


class StateError(MidtransError):
    def __init__(self, message: str = "Transaction status cannot be updated."):
        super().__init__(412, message)


def wib(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, WIB).strftime("%Y-%m-%d %H:%M:%S")


def rupiah_string(amount: int) -> str:
    return f"{amount}.00"


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def va_number(conn, bank: str, order_id: str) -> str:
    """Deterministic for (bank, order id), and unique: a clash with another transaction's number moves on."""
    prefix, length = VA_FORMATS[bank]
    for salt in range(100):
        digest = int(hashlib.sha256(f"{bank}:{order_id}:{salt}".encode()).hexdigest(), 16)
        number = prefix + str(digest)[: length - len(prefix)]
        if conn.execute("SELECT 1 FROM mt_transactions WHERE va_number = ?", (number,)).fetchone() is None:
            return number
    raise MidtransError(500, "Could not issue a VA number.")


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE, as EMVCo merchant-presented QR codes end with (tag 63)."""
    crc = 0xFFFF
    for byte in data.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def qr_string(transaction_id: str, order_id: str, amount: int, acquirer: str) -> str:
    """A dynamic QRIS payload (EMVCo layout): merchant account, amount, country, name, city, bill, CRC."""
    domain = "COM.GO-JEK.WWW" if acquirer == "gopay" else "ID.CO.SHOPEE.WWW"
    account = _tlv("00", domain) + _tlv("01", "93600914" + transaction_id.replace("-", "")[:11]) + \
        _tlv("02", "G503000001") + _tlv("03", "UMI")
    body = (_tlv("00", "01") + _tlv("01", "12") + _tlv("26", account) + _tlv("52", "5499") + _tlv("53", "360")
            + _tlv("54", str(amount)) + _tlv("58", "ID") + _tlv("59", "OPOP Marketplace") + _tlv("60", "SURABAYA")
            + _tlv("62", _tlv("01", order_id[:25])) + "6304")
    return body + _crc16(body)


def find(sb, key: str) -> dict:
    """By order id or transaction id; 404 in Midtrans' words when neither is known."""
    row = sb.store.one("SELECT * FROM mt_transactions WHERE order_id = ? OR transaction_id = ?", (key, key))
    if row is None:
        raise MidtransError(404, "Transaction doesn't exist.")
    return dict(row)


def find_by_number(sb, number: str) -> dict | None:
    row = sb.store.one("SELECT * FROM mt_transactions WHERE va_number = ?", (number,))
    return dict(row) if row else None


def refunds_of(sb, transaction_id: str) -> list[dict]:
    return [dict(r) for r in sb.store.all("SELECT * FROM mt_refunds WHERE transaction_id = ? ORDER BY id",
                                          (transaction_id,))]


def describe(sb, row: dict, message: str | None = None) -> dict:
    """The status body: what the status call answers and what a notification carries (without signature)."""
    code = STATUS_CODES[row["status"]]
    body = {"status_code": str(code), "status_message": message or "Success, transaction is found",
            "transaction_id": row["transaction_id"], "order_id": row["order_id"],
            "merchant_id": sb.platform.merchant_id,
            "gross_amount": rupiah_string(row["gross_amount"]), "currency": "IDR", "payment_type": row["payment_type"],
            "transaction_time": wib(row["created_at"]), "transaction_status": row["status"], "fraud_status": "accept",
            "expiry_time": wib(row["expires_at"])}
    if row["payment_type"] == "bank_transfer":
        body["va_numbers"] = [{"bank": row["bank"], "va_number": row["va_number"]}]
    elif row["payment_type"] == "permata":
        body["permata_va_number"] = row["va_number"]
    elif row["payment_type"] == "echannel":
        body |= {"bill_key": row["va_number"], "biller_code": BILLER_CODE}
    else:
        if row["payment_type"] == "qris":
            body["acquirer"] = row["acquirer"]
        body |= {"qr_string": row["qr_string"],
                 "actions": [{"name": "generate-qr-code", "method": "GET",
                              "url": f"{row['base_url']}/v2/qris/{row['transaction_id']}/qr-code"}]}
    if row["settled_at"] is not None:
        body["settlement_time"] = wib(row["settled_at"])
    if row["refunded"]:
        body["refund_amount"] = rupiah_string(row["refunded"])
        body["refunds"] = [{"refund_chargeback_id": r["id"], "refund_amount": rupiah_string(r["amount"]),
                            "created_at": wib(r["created_at"]), "reason": r["reason"] or "",
                            "refund_key": r["refund_key"]} for r in refunds_of(sb, row["transaction_id"])]
    return body


def signed(sb, body: dict) -> dict:
    return body | {"signature_key": signature(body["order_id"], body["status_code"], body["gross_amount"],
                                              sb.platform.server_key)}


def notify(sb, row: dict) -> None:
    """A notification of the transaction's current state to each of its URLs (the registered one when none)."""
    with sb.store.tx() as conn:
        seq = conn.execute("UPDATE mt_transactions SET seq = seq + 1 WHERE id = ? RETURNING seq",
                           (row["id"],)).fetchone()["seq"]
        body = signed(sb, describe(sb, row, "midtrans payment notification"))
        for url in json.loads(row["notify_urls"]) or [None]:
            sb.pushes.enqueue(None, f"{row['transaction_id']}:{row['status']}:{seq}", body, url=url)


def create(sb, charge: dict, notify_urls: list[str], base_url: str) -> dict:
    """`charge`: checked fields (order_id, gross_amount, payment_type, bank, acquirer, expiry_seconds, request)."""
    now = time.time()
    transaction_id = str(uuid.uuid4())
    with sb.store.tx() as conn:
        if conn.execute("SELECT 1 FROM mt_transactions WHERE order_id = ?", (charge["order_id"],)).fetchone():
            raise MidtransError(406, "Duplicate order ID. Order ID has already been utilized previously.")
        number = qr = None
        if charge["payment_type"] in VA_TYPES:
            number = va_number(conn, charge["bank"], charge["order_id"])
        else:
            qr = qr_string(transaction_id, charge["order_id"], charge["gross_amount"], charge["acquirer"])
        conn.execute(
            "INSERT INTO mt_transactions (transaction_id, order_id, payment_type, bank, va_number, acquirer, "
            "qr_string, gross_amount, status, created_at, expires_at, notify_urls, base_url, request) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
            (transaction_id, charge["order_id"], charge["payment_type"], charge["bank"], number, charge["acquirer"],
             qr, charge["gross_amount"], now, now + charge["expiry_seconds"], json.dumps(notify_urls), base_url,
             json.dumps(charge["request"])))
        row = find(sb, transaction_id)
        notify(sb, row)
    return describe(sb, row, CREATED_MESSAGES[row["payment_type"]])


def move(sb, key: str, to: str) -> dict:
    """pending -> settlement / cancel / expire, with a notification; any other state refuses with 412."""
    with sb.store.tx() as conn:
        row = find(sb, key)
        if row["status"] != "pending":
            raise StateError()
        settled = time.time() if to == "settlement" else None
        conn.execute("UPDATE mt_transactions SET status = ?, settled_at = ? WHERE id = ?", (to, settled, row["id"]))
        row = find(sb, key)
        notify(sb, row)
    return row


def refund(sb, key: str, refund_key: str, amount: int | None, reason: str | None) -> dict:
    with sb.store.tx() as conn:
        row = find(sb, key)
        earlier = conn.execute("SELECT response FROM mt_refunds WHERE transaction_id = ? AND refund_key = ?",
                               (row["transaction_id"], refund_key)).fetchone()
        if earlier is not None:  # the same refund asked again: the first answer, nothing refunded twice
            return json.loads(earlier["response"])
        if row["payment_type"] not in QR_TYPES:
            raise MidtransError(412, "Payment Type is not supported for refund")
        if row["status"] not in ("settlement", "partial_refund"):
            raise StateError()
        left = row["gross_amount"] - row["refunded"]
        amount = left if amount is None else amount
        if amount > left:
            raise MidtransError(412, "Refund amount exceeds the amount that can still be refunded.")
        now = time.time()
        status = "refund" if amount == left else "partial_refund"
        conn.execute("UPDATE mt_transactions SET status = ?, refunded = refunded + ? WHERE id = ?",
                     (status, amount, row["id"]))
        pk = conn.execute("INSERT INTO mt_refunds (transaction_id, refund_key, amount, reason, created_at, response) "
                          "VALUES (?, ?, ?, ?, ?, '{}') RETURNING id",
                          (row["transaction_id"], refund_key, amount, reason, now)).fetchone()["id"]
        row = find(sb, key)
        answer = describe(sb, row, "Success, refund request is approved")
        for field in ("refunds", "actions", "qr_string"):
            answer.pop(field, None)
        answer |= {"refund_chargeback_id": pk, "refund_amount": rupiah_string(amount), "refund_key": refund_key}
        conn.execute("UPDATE mt_refunds SET response = ? WHERE id = ?", (json.dumps(answer), pk))
        notify(sb, row)
    return answer


def expire_due(sb) -> int:
    due = sb.store.all("SELECT transaction_id FROM mt_transactions WHERE status = 'pending' AND expires_at <= ?",
                       (time.time(),))
    for row in due:
        try:
            move(sb, row["transaction_id"], "expire")
        except StateError:  # paid or cancelled in the meantime
            pass
    return len(due)


def expiry_loop(sb, tick: float) -> None:
    """Pending transactions expire by themselves at expiry_time, with a notification."""
    while True:
        time.sleep(tick)
        try:
            expire_due(sb)
        except Exception as error:  # the thread must outlive a bad row or a reset in the middle
            print(f"expiry: {error!r}", flush=True)
