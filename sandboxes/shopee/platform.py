"""What makes the Shopee sandbox Shopee: ids, order states and moves, error bodies, push shape and signature."""

import json
import time
from datetime import UTC, datetime

from flask import jsonify

from sandboxes import credentials
from sandboxes.common.errors import ApiError, BadInput
from sandboxes.common.settings import Settings
from sandboxes.common.signing import hmac_hex, request_id

ERRORS = {  # kind -> (error, HTTP status)
    "param": ("error_param", 400),
    "timestamp": ("error_param", 400),
    "sign": ("error_sign", 403),
    "partner": ("error_auth", 403),
    "auth": ("error_auth", 403),
    "token_expired": ("error_auth", 403),
    "not_found": ("error_not_found", 404),
    "rate_limit": ("error_rate_limit", 429),
    "server": ("error_server", 500),
    "timeout": ("error_server", 504),
}
ITEM_BASE = 800_000_000
MODEL_BASE = 9_000_000_000
LOCATION_ID = "IDZ"
PUSH_ORDER_STATUS = 3


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


class Shopee:
    name = "shopee"
    title = "Shopee"
    colour = "#ee4d2d"
    partner_id = credentials.SHOPEE_PARTNER_ID
    partner_key = credentials.SHOPEE_PARTNER_KEY
    initial_status = "UNPAID"
    max_variants = 50
    keeps_lost_pushes = True
    # action -> (from states, to state, stock goes back)
    actions = {
        "pay": ({"UNPAID"}, "READY_TO_SHIP", False),
        "process": ({"READY_TO_SHIP"}, "PROCESSED", False),
        "ship": ({"READY_TO_SHIP", "PROCESSED"}, "SHIPPED", False),
        "complete": ({"SHIPPED"}, "COMPLETED", False),
        "request_cancel": ({"READY_TO_SHIP", "PROCESSED"}, "IN_CANCEL", False),
        "cancel": ({"UNPAID", "READY_TO_SHIP", "PROCESSED", "IN_CANCEL"}, "CANCELLED", True),
        "expire": ({"UNPAID"}, "CANCELLED", True),
    }
    defaults = Settings(port=credentials.SHOPEE_PORT, db="instance/sandbox-shopee.db", access_token_ttl=4 * 3600,
                        refresh_token_ttl=30 * 86400, code_ttl=600, rate_limit=10.0)

    def shop_ext_id(self, pk: int) -> str:
        return str(700_000 + pk)

    def shop_id_out(self, ext_id: str):
        return int(ext_id)

    def check_shop_id(self, value) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise BadInput("shop_id must be a positive whole number on Shopee")

    def cipher(self, pk: int) -> str:
        return ""

    def order_ext_id(self, pk: int, created: int) -> str:
        day = datetime.fromtimestamp(created, UTC).strftime("%y%m%d")
        return f"{day}{_base36(pk * 7919 + 1_679_616):0>8}"

    @staticmethod
    def item_id(product: dict) -> int:
        return ITEM_BASE + product["id"]

    @staticmethod
    def model_id(product: dict, variant: dict) -> int:
        return MODEL_BASE + variant["id"] if product["has_variants"] else 0

    def describe_product(self, product: dict) -> dict:
        return {"item_id": self.item_id(product), "item_name": product["name"], "item_sku": product["sku"] or "",
                "has_model": bool(product["has_variants"]),
                "models": [{"model_id": self.model_id(product, v), "model_name": v["name"], "model_sku": v["sku"] or "",
                            "price": v["price"], "stock": v["stock"]} for v in product["variants"]]}

    def push_message(self, shop: dict, order: dict) -> tuple[str, dict]:
        body = {"shop_id": int(shop["ext_id"]), "code": PUSH_ORDER_STATUS, "timestamp": int(time.time()),
                "data": {"ordersn": order["ext_id"], "status": order["status"], "update_time": order["update_time"]}}
        return f"{order['ext_id']}:{order['status']}:{order['update_time']}", body

    def push_headers(self, url: str, body: str) -> dict:
        return {"Authorization": hmac_hex(self.partner_key, f"{url}|{body}")}

    def error_response(self, error: ApiError, status: int | None = None):
        code, default_status = ERRORS.get(error.kind, ("error_param", 400))
        return jsonify(error=code, message=error.message, request_id=request_id()), status or default_status

    @staticmethod
    def lost_message(push: dict) -> dict:
        body = json.loads(push["body"]) if isinstance(push["body"], str) else push["body"]
        return {"shop_id": body["shop_id"], "code": body["code"], "timestamp": body["timestamp"],
                "data": json.dumps(body["data"], separators=(",", ":"))}

    def register(self, app) -> None:
        from sandboxes.shopee.api import bp as api
        from sandboxes.shopee.auth import bp as auth

        app.register_blueprint(auth)
        app.register_blueprint(api)
