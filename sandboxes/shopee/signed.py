"""The checks every Shopee call passes: query parameters, partner id, the 5-minute timestamp window, the HMAC
`sign`, then (shop calls) the access token and the shop's rate limit."""

import time

from flask import current_app, g, jsonify, request

from sandboxes.common import auth
from sandboxes.common.errors import ApiError
from sandboxes.common.signing import hmac_hex, request_id, same

TIMESTAMP_WINDOW = 300


def sandbox():
    return current_app.extensions["sandbox"]


def _param(name: str) -> str:
    value = request.args.get(name)
    if not value:
        raise ApiError("param", f"There is no {name} in query.")
    return value


def _check(*extra: str) -> None:
    sb = sandbox()
    partner_id, timestamp, sign = _param("partner_id"), _param("timestamp"), _param("sign")
    values = [_param(name) for name in extra]
    if partner_id != str(sb.platform.partner_id):
        raise ApiError("partner", "Invalid partner_id.")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TIMESTAMP_WINDOW:
        raise ApiError("timestamp", "Invalid timestamp: it must be within 5 minutes of the server time.")
    base = f"{partner_id}{request.path}{timestamp}{''.join(values)}"
    if not same(hmac_hex(sb.platform.partner_key, base), sign):
        raise ApiError("sign", "Wrong sign.")


def partner_call() -> None:
    _check()


def shop_call() -> dict:
    """Returns the shop row after every check; the rate limit counts per shop and API family."""
    sb = sandbox()
    g.shop_ext = request.args.get("shop_id")  # logged even when the call is refused
    _check("access_token", "shop_id")
    shop_id = request.args["shop_id"]
    shop = sb.store.one("SELECT * FROM shops WHERE ext_id = ?", (shop_id,))
    if shop is None:
        raise ApiError("auth", "Invalid shop_id: the shop has not authorised this partner.")
    shop = dict(shop)
    try:
        auth.check_access(sb, request.args["access_token"], shop["id"])
    except ApiError as error:
        raise ApiError(error.kind, "Invalid access_token.") from None
    sb.check_rate(shop, request.path.split("/")[3])
    return shop


def body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError("param", "The request body must be a JSON object.")
    return data


def ok(response: dict | None = None, **top):
    return jsonify(error="", message="", request_id=request_id(), **top,
                   **({"response": response} if response is not None else {}))


def int_arg(name: str, low: int, high: int, default: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None and default is not None:
        return default
    if raw is None or not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
        raise ApiError("param", f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


def id_list(name: str, most: int) -> list[str]:
    raw = request.args.get(name, "")
    values = [part.strip() for part in raw.split(",") if part.strip()]
    if not 1 <= len(values) <= most:
        raise ApiError("param", f"{name} must hold 1 to {most} comma-separated values.")
    return values
