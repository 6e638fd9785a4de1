"""What makes the payment sandbox Midtrans: its tables, error bodies (`status_code` as a string, the HTTP status
beside it), its faults (5xx with a chosen status, dropped and duplicated notifications) and its pages."""

import threading

from flask import current_app, jsonify

from sandboxes import credentials
from sandboxes.common.errors import ApiError, BadInput
from sandboxes.common.settings import Settings
from sandboxes.common.signing import request_id

SCHEMA = """
CREATE TABLE IF NOT EXISTS mt_transactions (
    id INTEGER PRIMARY KEY, transaction_id TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL UNIQUE,
    payment_type TEXT NOT NULL, bank TEXT, va_number TEXT UNIQUE, acquirer TEXT, qr_string TEXT,
    gross_amount INTEGER NOT NULL, status TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL NOT NULL,
    settled_at REAL, refunded INTEGER NOT NULL DEFAULT 0, notify_urls TEXT NOT NULL, base_url TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0, request TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mt_transactions_due ON mt_transactions (status, expires_at);
CREATE TABLE IF NOT EXISTS mt_refunds (
    id INTEGER PRIMARY KEY, transaction_id TEXT NOT NULL, refund_key TEXT NOT NULL, amount INTEGER NOT NULL,
    reason TEXT, created_at REAL NOT NULL, response TEXT NOT NULL, UNIQUE (transaction_id, refund_key));
"""
EXPIRY_TICK = 0.2


class MidtransError(ApiError):
    """An answer in Midtrans' own words: `status_code` (a string) and `status_message`, plus any extra fields."""

    def __init__(self, code: int, message: str, **extra):
        super().__init__("midtrans", message)
        self.code = code
        self.extra = extra


def _error_status(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 500 <= value <= 599:
        raise BadInput("must be an HTTP status from 500 to 599")
    return value


def _as_rate(value):
    return float(value) if isinstance(value, bool) else value


def http_status(code: int) -> int:
    """The HTTP status beside a body's status_code: the same where it is an HTTP answer, 200 for 407 (expired)."""
    return 200 if code == 407 else code


class Midtrans:
    name = "midtrans"
    title = "Midtrans"
    colour = "#0c2b5e"
    server_key = credentials.MIDTRANS_SERVER_KEY
    merchant_id = credentials.MIDTRANS_MERCHANT_ID
    keeps_lost_pushes = False
    schema = SCHEMA
    tables = ("mt_refunds", "mt_transactions")
    page_prefixes = ("/simulator",)
    extra_faults = {"error_status": (_error_status, 500)}  # the HTTP status of an injected 5xx
    fault_aliases = {"drop_notifications": ("drop_push_rate", _as_rate),
                     "duplicate_notifications": ("duplicate_push_rate", _as_rate)}
    # Midtrans says a notification may come more than once: 2 % do here (the tests start with 0)
    defaults = Settings(port=credentials.MIDTRANS_PORT, db="instance/sandbox-midtrans.db", duplicate_push_rate=0.02)

    def __init__(self):
        self._expiry = None

    def push_headers(self, url: str, body: str) -> dict:
        return {"User-Agent": "Veritrans"}

    def error_response(self, error: ApiError, status: int | None = None):
        if isinstance(error, MidtransError):
            body = {"status_code": str(error.code), "status_message": error.message, **error.extra,
                    "id": request_id()}
            return jsonify(body), http_status(error.code)
        if error.kind == "server":
            code = current_app.extensions["sandbox"].faults.get("error_status")
            message = "Sorry. Our system is recovering from unexpected issues. Please retry."
        elif error.kind == "timeout":
            code, message = 504, "Sorry. Our system timed out. Please retry."
        elif error.kind == "not_found" or status == 404:
            code, message = 404, "The requested resource is not found"
        else:
            code, message = status or 400, error.message
        return jsonify(status_code=str(code), status_message=message, id=request_id()), code

    def index_page(self):
        from sandboxes.midtrans.simulator import index

        return index()

    def register(self, app) -> None:
        from sandboxes.midtrans import transactions
        from sandboxes.midtrans.api import bp as api
        from sandboxes.midtrans.simulator import control, pages

        app.register_blueprint(api)
        app.register_blueprint(control)
        app.register_blueprint(pages)
        sb = app.extensions["sandbox"]
        self._expiry = threading.Thread(target=transactions.expiry_loop, args=(sb, EXPIRY_TICK),
                                        name="midtrans-expiry", daemon=True)
        self._expiry.start()
