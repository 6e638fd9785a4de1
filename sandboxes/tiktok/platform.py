"""What makes the TikTok Shop sandbox TikTok Shop: string ids, shop ciphers, order states and moves, the
`{code, message, request_id, data}` envelope and the webhook shape and signature."""

import base64
import secrets
import time

from flask import jsonify

from sandboxes import credentials
from sandboxes.common.errors import ApiError, BadInput
from sandboxes.common.settings import Settings
from sandboxes.common.signing import hmac_hex, request_id

# kind -> (code, HTTP status). 36009002, 106001 and 105002 are the documented ones; the others are this
# sandbox's choice, listed in docs/sandboxes.md.
ERRORS = {
    "param": (36009001, 400),
    "timestamp": (106002, 401),
    "sign": (106001, 401),
    "partner": (106003, 401),
    "auth": (105001, 401),
    "token_expired": (105002, 401),
    "not_found": (36009005, 404),
    "rate_limit": (36009002, 429),
    "server": (36009003, 500),
    "timeout": (36009003, 504),
}
PRODUCT_BASE = 1_729_000_000_000_000_000
SKU_BASE = 1_730_000_000_000_000_000
ORDER_BASE = 576_000_000_000_000_000
LINE_BASE = 577_000_000_000_000_000
WAREHOUSE_BASE = 7_068_000_000_000_000_000
WEBHOOK_ORDER_STATUS = 1
CANCELLABLE = {"UNPAID", "ON_HOLD", "AWAITING_SHIPMENT", "AWAITING_COLLECTION"}


class TikTok:
    name = "tiktok"
    title = "TikTok Shop"
    colour = "#111111"
    app_key = credentials.TIKTOK_APP_KEY
    app_secret = credentials.TIKTOK_APP_SECRET
    initial_status = "UNPAID"
    max_variants = 100
    keeps_lost_pushes = False
    actions = {
        "pay": ({"UNPAID"}, "AWAITING_SHIPMENT", False),
        "pay_on_hold": ({"UNPAID"}, "ON_HOLD", False),
        "release": ({"ON_HOLD"}, "AWAITING_SHIPMENT", False),
        "arrange": ({"AWAITING_SHIPMENT"}, "AWAITING_COLLECTION", False),
        "ship": ({"AWAITING_SHIPMENT", "AWAITING_COLLECTION"}, "IN_TRANSIT", False),
        "deliver": ({"IN_TRANSIT"}, "DELIVERED", False),
        "complete": ({"IN_TRANSIT", "DELIVERED"}, "COMPLETED", False),
        "cancel": (CANCELLABLE, "CANCELLED", True),
        "expire": ({"UNPAID"}, "CANCELLED", True),
    }
    defaults = Settings(port=credentials.TIKTOK_PORT, db="instance/sandbox-tiktok.db",
                        access_token_ttl=7 * 86400, refresh_token_ttl=60 * 86400, code_ttl=1800,
                        rate_limit=50.0, duplicate_push_rate=0.02)

    def shop_ext_id(self, pk: int) -> str:
        return str(7_495_000_000_000_000_000 + pk)

    def shop_id_out(self, ext_id: str):
        return ext_id

    def check_shop_id(self, value) -> None:
        if not isinstance(value, str) or not value.isdigit():
            raise BadInput("shop_id must be a string of digits on TikTok Shop")

    def cipher(self, pk: int) -> str:
        digest = hmac_hex(self.app_secret, f"shop-{pk}").encode()[:30]
        return "ROW_" + base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def order_ext_id(self, pk: int, created: int) -> str:
        return str(ORDER_BASE + pk)

    @staticmethod
    def warehouse_id(shop_pk: int) -> str:
        return str(WAREHOUSE_BASE + shop_pk)

    def sku_json(self, variant: dict) -> dict:
        return {"id": str(SKU_BASE + variant["id"]), "seller_sku": variant["sku"] or "",
                "price": {"currency": "IDR", "sale_price": str(variant["price"])},
                "inventory": [{"warehouse_id": self.warehouse_id(variant["shop_id"]), "quantity": variant["stock"]}]}

    def product_json(self, product: dict) -> dict:
        return {"id": str(PRODUCT_BASE + product["id"]), "title": product["name"], "status": "ACTIVATE",
                "create_time": product["created_at"], "update_time": product["update_time"],
                "skus": [self.sku_json(v) for v in product["variants"]]}

    def describe_product(self, product: dict) -> dict:
        described = self.product_json(product)
        return {"product_id": described["id"], "title": described["title"],
                "skus": [{"sku_id": s["id"], "seller_sku": s["seller_sku"], "price": v["price"], "stock": v["stock"]}
                         for s, v in zip(described["skus"], product["variants"], strict=True)]}

    def order_json(self, order: dict) -> dict:
        lines = []
        for line in order["lines"]:
            lines += [{"id": str(LINE_BASE + line["id"] * 1000 + unit), "product_id": str(PRODUCT_BASE +
                       line["product_id"]), "product_name": line["product_name"],
                       "sku_id": str(SKU_BASE + line["variant_id"]), "sku_name": line["variant_name"],
                       "seller_sku": line["sku"] or "", "sale_price": str(line["price"]), "currency": "IDR",
                       "display_status": order["status"]} for unit in range(line["quantity"])]
        total = sum(line["price"] * line["quantity"] for line in order["lines"])
        return {"id": order["ext_id"], "status": order["status"], "create_time": order["create_time"],
                "update_time": order["update_time"], "payment": {"currency": "IDR", "total_amount": str(total)},
                "line_items": lines}

    def push_message(self, shop: dict, order: dict) -> tuple[str, dict]:
        notification_id = str(7_300_000_000_000_000_000 + secrets.randbelow(10**18))
        return notification_id, {
            "type": WEBHOOK_ORDER_STATUS, "tts_notification_id": notification_id, "shop_id": shop["ext_id"],
            "timestamp": int(time.time()),
            "data": {"order_id": order["ext_id"], "order_status": order["status"],
                     "update_time": order["update_time"], "is_on_hold_order": order["status"] == "ON_HOLD"}}

    def push_headers(self, url: str, body: str) -> dict:
        return {"Authorization": hmac_hex(self.app_secret, self.app_key + body)}

    def error_response(self, error: ApiError, status: int | None = None):
        code, default_status = ERRORS.get(error.kind, ERRORS["param"])
        return jsonify(code=code, message=error.message, request_id=request_id(), data=None), \
            status or default_status

    def register(self, app) -> None:
        from sandboxes.tiktok.api import bp as api
        from sandboxes.tiktok.auth import bp as auth

        app.register_blueprint(auth)
        app.register_blueprint(api)
