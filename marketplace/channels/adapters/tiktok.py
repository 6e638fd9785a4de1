"""TikTok Shop Partner API (it also serves Tokopedia shops): query ``app_key``, ``timestamp``, ``sign`` (HMAC over
secret + path + sorted query + body + secret) and ``shop_cipher``; the token in ``x-tts-access-token``; answers
``{code, message, request_id, data}``; stock per product, SKUs listed in ``skus``."""

import hmac
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode

from marketplace.channels.adapters.base import (
    CallbackResult,
    ChannelAdapter,
    ChannelAuthExpired,
    ChannelAuthRevoked,
    ChannelError,
    ChannelRateLimited,
    ChannelRejected,
    ChannelUnavailable,
    ListingRef,
    OrderLine,
    OrderPage,
    PartnerOrder,
    RemoteListing,
    StockResult,
    StockUpdate,
    Tokens,
    hmac_hex,
)

EXPIRED_TOKEN, INVALID_TOKEN = 105002, 105001
TOO_MANY_REQUESTS = 36009002
NOT_FOUND = {36009005, 17019004}


def _utc(timestamp) -> datetime | None:
    return datetime.fromtimestamp(int(timestamp), UTC).replace(tzinfo=None) if timestamp else None


class TikTokAdapter(ChannelAdapter):
    platform = "tiktok"
    max_stock_batch = 100
    max_order_detail_batch = 50
    max_order_window_days = 15

    def sign(self, path: str, query: dict, body: str = "") -> str:
        secret = self.settings.partner_key
        pairs = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in ("sign", "access_token"))
        return hmac_hex(secret, f"{secret}{path}{pairs}{body}{secret}")

    def _call(self, method: str, path: str, *, params: dict | None = None, body: dict | None = None,
              shop: bool = True) -> dict:
        return self._request(lambda: self._call_once(method, path, params, body, shop))

    def _call_once(self, method: str, path: str, params: dict | None, body: dict | None, shop: bool) -> dict:
        tokens = self._require_tokens()
        query = {"app_key": self.settings.partner_id, "timestamp": str(int(time.time()))} | {
            key: str(value) for key, value in (params or {}).items()}
        if shop:
            query["shop_cipher"] = tokens.shop_cipher
        raw = json.dumps(body, separators=(",", ":")) if body is not None else ""
        query["sign"] = self.sign(path, query, raw)
        response = self._send(method, self.settings.base_url + path, params=query, data=raw.encode() or None,
                              headers={"Content-Type": "application/json", "x-tts-access-token": tokens.access_token})
        return self._data(response, token_call=False)

    def _data(self, response, *, token_call: bool) -> dict:
        data = self._json(response)
        code = data.get("code")
        if code not in (0, None) or response.status_code >= 400:
            raise self._error(int(code or 0), data.get("message") or "", response.status_code, token_call)
        return data.get("data") or {}

    @staticmethod
    def _error(code: int, message: str, status: int, token_call: bool) -> ChannelError:
        text = f"{code}: {message}"
        if code == TOO_MANY_REQUESTS or status == 429:
            return ChannelRateLimited(text, code=str(code), status=status)
        if status >= 500:
            return ChannelUnavailable(text, code=str(code), status=status)
        if code in (EXPIRED_TOKEN, INVALID_TOKEN) or (status == 401 and code // 1000 == 105):
            kind = ChannelAuthRevoked if token_call else ChannelAuthExpired
            return kind(text, code=str(code), status=status)
        return ChannelRejected(text, code=str(code), status=status)

    # --- authorisation -------------------------------------------------------------------------------------
    def authorise_url(self, redirect_url: str, state: str) -> str:
        query = {"app_key": self.settings.partner_id, "state": state, "redirect_uri": redirect_url}
        return f"{self.settings.base_url}/oauth/authorize?{urlencode(query)}"

    def parse_callback(self, args: dict) -> CallbackResult:
        code = args.get("code") or ""
        if not code:
            raise ChannelRejected("The authorisation answer has no code.", code="no_code")
        return CallbackResult(code=code, state=args.get("state") or "")

    def _token_call(self, path: str, params: dict) -> dict:
        query = {"app_key": self.settings.partner_id, "app_secret": self.settings.partner_key} | params
        return self._request(lambda: self._data(self._send("GET", self.settings.base_url + path, params=query),
                                                token_call=True))

    @staticmethod
    def _tokens(data: dict, previous: Tokens | None = None) -> Tokens:
        return Tokens(access_token=data["access_token"], refresh_token=data["refresh_token"],
                      access_expires_at=_utc(data["access_token_expire_in"]),
                      refresh_expires_at=_utc(data.get("refresh_token_expire_in")),
                      shop_id=previous.shop_id if previous else "",
                      shop_name=(previous.shop_name if previous else "") or data.get("seller_name") or "",
                      shop_cipher=previous.shop_cipher if previous else "")

    def exchange_code(self, callback: CallbackResult) -> Tokens:
        try:
            data = self._token_call("/api/v2/token/get", {"auth_code": callback.code,
                                                          "grant_type": "authorized_code"})
        except ChannelAuthRevoked as error:
            raise ChannelRejected(error.message, code=error.code) from error
        tokens = self._tokens(data)
        self.tokens = tokens
        shops = self._call("GET", "/authorization/202309/shops", shop=False).get("shops") or []
        if not shops:
            raise ChannelRejected("No shop was authorised.", code="no_shop")
        tokens.shop_id, tokens.shop_name, tokens.shop_cipher = str(shops[0]["id"]), shops[0]["name"], shops[0]["cipher"]
        return tokens

    def refresh(self) -> Tokens:
        tokens = self._require_tokens()
        try:
            data = self._token_call("/api/v2/token/refresh", {"refresh_token": tokens.refresh_token,
                                                              "grant_type": "refresh_token"})
        except ChannelRejected as error:
            raise ChannelAuthRevoked(error.message, code=error.code, status=error.status) from error
        return self._tokens(data, tokens)

    # --- catalogue and stock -------------------------------------------------------------------------------
    @staticmethod
    def _listings(product: dict) -> Iterator[RemoteListing]:
        for sku in product.get("skus") or []:
            stock = sum(int(entry.get("quantity") or 0) for entry in sku.get("inventory") or [])
            yield RemoteListing(str(product["id"]), str(sku["id"]), sku.get("seller_sku") or "",
                                product.get("title") or "", stock)

    def list_listings(self) -> Iterator[RemoteListing]:
        token = ""
        while True:
            params = {"page_size": 100} | ({"page_token": token} if token else {})
            page = self._call("POST", "/product/202309/products/search", params=params, body={})
            for product in page.get("products") or []:
                yield from self._listings(product)
            token = page.get("next_page_token") or ""
            if not token:
                return

    def read_stock(self, refs: list[ListingRef]) -> dict[ListingRef, int | None]:
        found: dict[ListingRef, int] = {}
        for product_id in sorted({r.item_id for r in refs}):
            try:
                product = self._call("GET", f"/product/202309/products/{product_id}")
            except ChannelRejected as error:
                if error.status == 404 or error.code in {str(c) for c in NOT_FOUND}:
                    continue
                raise
            found |= {listing.ref: listing.stock for listing in self._listings(product)}
        return {ref: found.get(ref) for ref in refs}

    def update_stock(self, updates: list[StockUpdate]) -> list[StockResult]:
        if not updates or len(updates) > self.max_stock_batch or len({u.item_id for u in updates}) != 1:
            raise ValueError("one product and 1 to 100 SKUs per TikTok Shop inventory call")
        body = {"skus": [{"id": u.model_id, "inventory": [{"quantity": u.quantity}]} for u in updates]}
        try:
            data = self._call("POST", f"/product/202309/products/{updates[0].item_id}/inventory/update", body=body)
        except ChannelRejected as error:
            if error.status == 404 or error.code in {str(c) for c in NOT_FOUND}:  # the product is gone
                return [StockResult(u.ref, False, error.code, error.message, missing=True) for u in updates]
            raise
        failed = {str((e.get("detail") or {}).get("sku_id")): e for e in data.get("errors") or []}
        return [StockResult(u.ref, False, str(failed[u.model_id].get("code")), failed[u.model_id].get("message", ""),
                            missing=failed[u.model_id].get("code") in NOT_FOUND)
                if u.model_id in failed else StockResult(u.ref, True) for u in updates]

    # --- orders --------------------------------------------------------------------------------------------
    def list_orders(self, time_from: int, time_to: int, cursor: str = "", *, field: str = "update_time",
                    page_size: int | None = None) -> OrderPage:
        params = {"page_size": page_size or self.order_page_size, "sort_field": field, "sort_order": "ASC"}
        if cursor:
            params["page_token"] = cursor
        data = self._call("POST", "/order/202309/orders/search", params=params,
                          body={f"{field}_ge": int(time_from), f"{field}_lt": int(time_to) + 1})
        token = data.get("next_page_token") or ""
        return OrderPage([str(o["id"]) for o in data.get("orders") or []], token, bool(token))

    @staticmethod
    def _order(raw: dict) -> PartnerOrder:
        lines: dict[str, OrderLine] = {}
        for item in raw.get("line_items") or []:  # TikTok lists one line item per unit
            key = str(item["sku_id"])
            if key in lines:
                lines[key].quantity += int(item.get("quantity") or 1)
            else:
                lines[key] = OrderLine(item_id=str(item["product_id"]), model_id=key, sku=item.get("seller_sku") or "",
                                       name=" ".join(filter(None, [item.get("product_name"), item.get("sku_name")])),
                                       quantity=int(item.get("quantity") or 1), price=int(item.get("sale_price") or 0))
        total = int((raw.get("payment") or {}).get("total_amount") or 0)
        return PartnerOrder(order_id=str(raw["id"]), status=raw["status"], create_time=int(raw["create_time"]),
                            update_time=int(raw["update_time"]), total=total, lines=list(lines.values()), raw=raw)

    def get_orders(self, order_ids: list[str]) -> list[PartnerOrder]:
        if not 1 <= len(order_ids) <= self.max_order_detail_batch:
            raise ValueError("1 to 50 orders per detail call")
        data = self._call("GET", "/order/202309/orders", params={"ids": ",".join(order_ids)})
        return [self._order(o) for o in data.get("orders") or []]

    def cancel_order(self, order_id: str, reason: str = "OUT_OF_STOCK") -> None:
        self._call("POST", "/return_refund/202309/cancellations",
                   body={"order_id": order_id, "cancel_reason": reason})

    # --- webhooks ------------------------------------------------------------------------------------------
    def verify_webhook(self, url: str, raw_body: bytes, headers: dict) -> bool:
        given = headers.get("Authorization") or headers.get("authorization") or ""
        expected = hmac_hex(self.settings.partner_key, self.settings.partner_id.encode() + raw_body)
        return bool(given) and hmac.compare_digest(given, expected)
