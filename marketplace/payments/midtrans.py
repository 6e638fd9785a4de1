"""Client for the Midtrans Core API (v2) — the real one in production, our sandbox (sandboxes/midtrans) elsewhere.

Not the official ``midtransclient`` package: its API base URLs are class constants (api.midtrans.com and the
sandbox) with no setting for our own sandbox, and it sends requests without a timeout, so a hung gateway would
hang a web worker. This is ``requests`` with a timeout and tenacity retries on connection errors and 5xx.

Amounts cross this edge as integer rupiah; the API answers them as strings ("44000.00"). Gateway errors become
``GatewayError`` (``gateway.py``); a charge retried after a timeout finds its own first attempt (same order id →
406 → the status of that charge)."""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import requests
from flask import current_app
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential, wait_random

from marketplace.payments.gateway import GatewayError

log = logging.getLogger(__name__)

PAID_STATUSES = ("settlement", "capture")
CLOSED_STATUSES = ("expire", "cancel", "deny", "failure")


class MidtransError(GatewayError):
    def __init__(self, message: str, status_code: str = "", body: dict | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.body = body or {}


class _Transient(Exception):
    """A 5xx or a connection problem: worth another try."""


def rupiah(gross_amount) -> int | None:
    """ "44000.00" → 44000; None for anything that is not a whole rupiah amount."""
    try:
        value = Decimal(str(gross_amount))
    except (InvalidOperation, ValueError):
        return None
    if value != value.to_integral_value() or value < 0:
        return None
    return int(value)


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def signature_ok(payload: dict, server_key: str) -> bool:
    """SHA-512 of order_id + status_code + gross_amount + server key, compared in constant time."""
    fields = [payload.get(name) for name in ("order_id", "status_code", "gross_amount", "signature_key")]
    if not all(isinstance(value, str) and value for value in fields):
        return False
    expected = signature(fields[0], fields[1], fields[2], server_key)
    return hmac.compare_digest(expected.encode(), fields[3].lower().encode())


@dataclass(frozen=True)
class Transaction:
    """The gateway's word on one charge (a charge answer, a status answer or a notification)."""

    order_id: str
    transaction_id: str
    status: str  # pending | settlement | capture | expire | cancel | deny | refund | partial_refund | failure
    payment_type: str
    amount: int | None
    raw: dict

    @classmethod
    def from_body(cls, body: dict) -> "Transaction":
        return cls(order_id=str(body.get("order_id") or ""), transaction_id=str(body.get("transaction_id") or ""),
                   status=str(body.get("transaction_status") or ""), payment_type=str(body.get("payment_type") or ""),
                   amount=rupiah(body.get("gross_amount")), raw=body)

    @property
    def paid(self) -> bool:
        return self.status in PAID_STATUSES and self.raw.get("fraud_status", "accept") in ("accept", None, "")


class MidtransClient:
    def __init__(self, base_url: str, server_key: str, timeout: float = 8.0, attempts: int = 2):
        self.base_url = base_url.rstrip("/")
        self.server_key = server_key
        self.timeout = timeout
        self.attempts = attempts
        self.http = requests.Session()
        self.http.auth = (server_key, "")
        self.http.headers.update({"Accept": "application/json", "Content-Type": "application/json"})

    def _request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> dict:
        @retry(retry=retry_if_exception(lambda e: isinstance(e, _Transient)), stop=stop_after_attempt(self.attempts),
               wait=wait_exponential(multiplier=0.2, max=2) + wait_random(0, 0.2), reraise=True)
        def attempt() -> dict:
            try:
                response = self.http.request(method, f"{self.base_url}{path}", json=body, headers=headers,
                                             timeout=(min(3.0, self.timeout), self.timeout))
            except requests.RequestException as error:
                raise _Transient(str(error)) from error
            if response.status_code >= 500:
                raise _Transient(f"HTTP {response.status_code}")
            try:
                data = response.json()
            except ValueError as error:
                raise MidtransError(f"not JSON (HTTP {response.status_code})") from error
            # The body's status_code is the answer (the HTTP status is 200 for some of them).
            code = str(data.get("status_code") or response.status_code)
            if code.isdigit() and int(code) >= 400 and code != "407":
                raise MidtransError(str(data.get("status_message") or f"HTTP {code}"), code, data)
            return data

        try:
            return attempt()
        except _Transient as error:
            raise MidtransError(f"gateway unreachable: {error}") from error

    def charge(self, body: dict, notification_url: str | None = None) -> Transaction:
        headers = {"X-Override-Notification": notification_url} if notification_url else None
        order_id = body["transaction_details"]["order_id"]
        try:
            return Transaction.from_body(self._request("POST", "/v2/charge", body, headers))
        except MidtransError as error:
            if error.status_code == "406":  # our own earlier attempt got through before a timeout
                return self.status(order_id)
            raise

    def status(self, order_id: str) -> Transaction:
        return Transaction.from_body(self._request("GET", f"/v2/{order_id}/status"))

    def cancel(self, order_id: str) -> Transaction:
        return Transaction.from_body(self._request("POST", f"/v2/{order_id}/cancel"))

    def refund(self, order_id: str, amount: int, refund_key: str, reason: str) -> dict:
        return self._request("POST", f"/v2/{order_id}/refund",
                             {"refund_key": refund_key[:50], "amount": amount, "reason": reason[:200]})


def client() -> MidtransClient:
    cached = current_app.extensions.get("midtrans_client")
    config = current_app.config
    if cached is None or (cached.base_url, cached.server_key) != (config["MIDTRANS_API_BASE"].rstrip("/"),
                                                                   config["MIDTRANS_SERVER_KEY"]):
        cached = MidtransClient(config["MIDTRANS_API_BASE"], config["MIDTRANS_SERVER_KEY"],
                                float(config["MIDTRANS_TIMEOUT"]))
        current_app.extensions["midtrans_client"] = cached
    return cached


def enabled() -> bool:
    return bool(current_app.config.get("MIDTRANS_SERVER_KEY"))
