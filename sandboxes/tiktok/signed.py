"""The checks every TikTok Shop call passes: `app_key`, the timestamp window (5 minutes back, 30 seconds ahead),
the HMAC `sign` over secret + path + sorted query + body + secret, then the `x-tts-access-token` header, the
`shop_cipher` and the per-shop, per-API rate limit."""

import time

from flask import current_app, g, jsonify, request

from sandboxes.common import auth
from sandboxes.common.errors import ApiError
from sandboxes.common.signing import hmac_hex, request_id, same

SKEW_BEFORE, SKEW_AFTER = 300, 30


def sandbox():
    return current_app.extensions["sandbox"]


def _signature(secret: str) -> str:
    pairs = "".join(f"{key}{request.args[key]}" for key in sorted(request.args) if key not in ("sign",
                                                                                             "access_token"))
    body = request.get_data(as_text=True) if not request.mimetype.startswith("multipart/") else ""
    return hmac_hex(secret, f"{secret}{request.path}{pairs}{body}{secret}")


def _signed() -> None:
    sb = sandbox()
    for name in ("app_key", "timestamp", "sign"):
        if not request.args.get(name):
            raise ApiError("param", f"missing required parameter: {name}")
    if request.args["app_key"] != sb.platform.app_key:
        raise ApiError("partner", "invalid app_key")
    timestamp = request.args["timestamp"]
    if not timestamp.isdigit() or not -SKEW_BEFORE <= int(timestamp) - time.time() <= SKEW_AFTER:
        raise ApiError("timestamp", "timestamp is outside the accepted window")
    if not same(_signature(sb.platform.app_secret), request.args["sign"]):
        raise ApiError("sign", "invalid signature")


def _token_shop_pk() -> int:
    sb = sandbox()
    token = request.headers.get("x-tts-access-token", "")
    if not token:
        raise ApiError("auth", "missing x-tts-access-token header")
    row = sb.store.one("SELECT shop_id FROM tokens WHERE token = ? AND kind = 'access'", (token,))
    if row is None:
        raise ApiError("auth", "invalid access token")
    auth.check_access(sb, token, row["shop_id"])
    return row["shop_id"]


def seller_call() -> dict:
    """Signed and authorised, without a shop cipher (authorised-shops lookup): the token's shop."""
    _signed()
    shop = dict(sandbox().store.one("SELECT * FROM shops WHERE id = ?", (_token_shop_pk(),)))
    g.shop_ext = shop["ext_id"]
    return shop


def shop_call() -> dict:
    sb = sandbox()
    cipher = request.args.get("shop_cipher")
    shop = sb.store.one("SELECT * FROM shops WHERE cipher = ?", (cipher,)) if cipher else None
    g.shop_ext = shop["ext_id"] if shop else None  # logged even when the call is refused
    _signed()
    if not cipher:
        raise ApiError("param", "missing required parameter: shop_cipher")
    if shop is None:
        raise ApiError("param", "invalid shop_cipher")
    shop = dict(shop)
    if _token_shop_pk() != shop["id"]:
        raise ApiError("auth", "the access token was not granted for this shop")
    sb.check_rate(shop, request.url_rule.rule)
    return shop


def ok(data):
    return jsonify(code=0, message="Success", request_id=request_id(), data=data)


def body() -> dict:
    data = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(data, dict):
        raise ApiError("param", "the request body must be a JSON object")
    return data


def page_size() -> int:
    raw = request.args.get("page_size", "")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise ApiError("param", "page_size must be a whole number from 1 to 100")
    return int(raw)
