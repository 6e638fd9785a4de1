"""Shopee Open Platform v2: signed query (partner_id, timestamp, sign; shop calls add access_token and shop_id),
answers ``{error, message, request_id, response}``; stock per item, up to 50 models a call."""

import json
import time
from collections.abc import Iterator
from datetime import timedelta
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
from marketplace.core.timeutil import utcnow

REFRESH_TOKEN_DAYS = 30  # Shopee does not return the refresh token's expiry; it documents 30 days


class ShopeeAdapter(ChannelAdapter):
    platform = "shopee"
    max_stock_batch = 50
    max_order_detail_batch = 50
    max_order_window_days = 15

    def sign(self, path: str, timestamp: int, access_token: str = "", shop_id: str = "") -> str:
        base = f"{self.settings.partner_id}{path}{timestamp}{access_token}{shop_id}"
        return hmac_hex(self.settings.partner_key, base)

    def _query(self, path: str, shop: bool) -> dict:
        timestamp = int(time.time())
        query = {"partner_id": self.settings.partner_id, "timestamp": timestamp}
        if shop:
            tokens = self._require_tokens()
            query |= {"access_token": tokens.access_token, "shop_id": tokens.shop_id}
            query["sign"] = self.sign(path, timestamp, tokens.access_token, tokens.shop_id)
        else:
            query["sign"] = self.sign(path, timestamp)
        return query

    def _call(self, method: str, path: str, *, shop: bool = True, params: dict | None = None,
              body: dict | None = None) -> dict:
        return self._request(lambda: self._call_once(method, path, shop, params, body))

    def _call_once(self, method: str, path: str, shop: bool, params: dict | None, body: dict | None) -> dict:
        query = self._query(path, shop) | (params or {})  # signed afresh on every attempt (timestamp)
        response = self._send(method, self.settings.base_url + path, params=query,
                              data=json.dumps(body).encode() if body is not None else None,
                              headers={"Content-Type": "application/json"})
        data = self._json(response)
        error = data.get("error") or ""
        if error:
            raise self._error(error, data.get("message") or "", response.status_code, shop)
        if response.status_code >= 400:
            raise ChannelUnavailable(f"HTTP {response.status_code}", code=str(response.status_code),
                                     status=response.status_code)
        return data

    @staticmethod
    def _error(error: str, message: str, status: int, shop: bool) -> ChannelError:
        text = f"{error}: {message}".strip(": ")
        if error == "error_rate_limit" or status == 429:
            return ChannelRateLimited(text, code=error, status=status)
        if error in ("error_server", "error_inner", "error_busy") or status >= 500:
            return ChannelUnavailable(text, code=error, status=status)
        if error in ("error_auth", "error_permission", "invalid_acceess_token", "invalid_access_token"):
            kind = ChannelAuthExpired if shop else ChannelAuthRevoked
            return kind(text, code=error, status=status)
        return ChannelRejected(text, code=error, status=status)

    # --- authorisation -------------------------------------------------------------------------------------
    def authorise_url(self, redirect_url: str, state: str) -> str:
        path = "/api/v2/shop/auth_partner"
        joiner = "&" if "?" in redirect_url else "?"
        query = self._query(path, shop=False) | {"redirect": f"{redirect_url}{joiner}{urlencode({'state': state})}"}
        return f"{self.settings.base_url}{path}?{urlencode(query)}"

    def parse_callback(self, args: dict) -> CallbackResult:
        code, shop_id = args.get("code") or "", args.get("shop_id") or ""
        if not code or not shop_id.isdigit():
            raise ChannelRejected("The authorisation answer has no code or shop_id.", code="no_code")
        return CallbackResult(code=code, shop_id=shop_id, state=args.get("state") or "")

    def _tokens(self, data: dict, shop_id: str) -> Tokens:
        now = utcnow()
        return Tokens(access_token=data["access_token"], refresh_token=data["refresh_token"],
                      access_expires_at=now + timedelta(seconds=int(data.get("expire_in") or 0)),
                      refresh_expires_at=now + timedelta(days=REFRESH_TOKEN_DAYS), shop_id=shop_id,
                      shop_name=f"Shopee {shop_id}")

    def exchange_code(self, callback: CallbackResult) -> Tokens:
        body = {"code": callback.code, "shop_id": int(callback.shop_id), "partner_id": int(self.settings.partner_id)}
        try:
            data = self._call("POST", "/api/v2/auth/token/get", shop=False, body=body)
        except ChannelAuthRevoked as error:
            raise ChannelRejected(error.message, code=error.code) from error
        return self._tokens(data, callback.shop_id)

    def refresh(self) -> Tokens:
        tokens = self._require_tokens()
        body = {"refresh_token": tokens.refresh_token, "shop_id": int(tokens.shop_id),
                "partner_id": int(self.settings.partner_id)}
        try:
            data = self._call("POST", "/api/v2/auth/access_token/get", shop=False, body=body)
        except ChannelRejected as error:  # error_param: the refresh token is unknown or already used
            raise ChannelAuthRevoked(error.message, code=error.code, status=error.status) from error
        fresh = self._tokens(data, tokens.shop_id)
        fresh.shop_name = tokens.shop_name or fresh.shop_name
        return fresh

    # --- catalogue and stock -------------------------------------------------------------------------------
    def _item_ids(self) -> Iterator[str]:
        offset = 0
        while True:
            page = self._call("GET", "/api/v2/product/get_item_list",
                              params={"offset": offset, "page_size": 100, "item_status": "NORMAL"})["response"]
            for item in page.get("item") or []:
                yield str(item["item_id"])
            if not page.get("has_next_page"):
                return
            offset = page["next_offset"]

    def _items(self, item_ids: list[str]) -> Iterator[RemoteListing]:
        for start in range(0, len(item_ids), 50):
            chunk = item_ids[start:start + 50]
            info = self._call("GET", "/api/v2/product/get_item_base_info",
                              params={"item_id_list": ",".join(chunk)})["response"]
            for item in info.get("item_list") or []:
                item_id = str(item["item_id"])
                if not item.get("has_model"):
                    stock = (item.get("stock_info_v2") or {}).get("summary_info", {}).get("total_available_stock", 0)
                    yield RemoteListing(item_id, "0", item.get("item_sku") or "", item.get("item_name") or "",
                                        int(stock))
                    continue
                models = self._call("GET", "/api/v2/product/get_model_list",
                                    params={"item_id": item_id})["response"]
                for model in models.get("model") or []:
                    stock = (model.get("stock_info_v2") or {}).get("summary_info", {}).get("total_available_stock", 0)
                    name = item.get("item_name") or ""
                    yield RemoteListing(item_id, str(model["model_id"]), model.get("model_sku") or "", name,
                                        int(stock))

    def list_listings(self) -> Iterator[RemoteListing]:
        yield from self._items(list(self._item_ids()))

    def read_stock(self, refs: list[ListingRef]) -> dict[ListingRef, int | None]:
        found = {listing.ref: listing.stock for listing in self._items(sorted({r.item_id for r in refs}))}
        return {ref: found.get(ref) for ref in refs}

    def update_stock(self, updates: list[StockUpdate]) -> list[StockResult]:
        if not updates or len(updates) > self.max_stock_batch or len({u.item_id for u in updates}) != 1:
            raise ValueError("one item and 1 to 50 models per Shopee stock call")
        body = {"item_id": int(updates[0].item_id),
                "stock_list": [{"model_id": int(u.model_id or 0), "seller_stock": [{"stock": u.quantity}]}
                               for u in updates]}
        try:
            response = self._call("POST", "/api/v2/product/update_stock", body=body)["response"]
        except ChannelRejected as error:
            if "item_id" in error.message and "not found" in error.message:  # the whole item is gone
                return [StockResult(u.ref, False, error.code, error.message, missing=True) for u in updates]
            raise
        failed = {str(f.get("model_id")): f.get("failed_reason") or "" for f in response.get("failure_list") or []}
        return [StockResult(u.ref, False, "failed", failed[u.model_id or "0"],
                            missing="not found" in failed[u.model_id or "0"])
                if (u.model_id or "0") in failed else StockResult(u.ref, True) for u in updates]

    # --- orders --------------------------------------------------------------------------------------------
    def list_orders(self, time_from: int, time_to: int, cursor: str = "", *, field: str = "update_time",
                    page_size: int | None = None) -> OrderPage:
        params = {"time_range_field": field, "time_from": time_from, "time_to": time_to,
                  "page_size": page_size or self.order_page_size}
        if cursor:
            params["cursor"] = cursor
        page = self._call("GET", "/api/v2/order/get_order_list", params=params)["response"]
        return OrderPage([str(o["order_sn"]) for o in page.get("order_list") or []],
                         page.get("next_cursor") or "", bool(page.get("more")))

    def get_orders(self, order_ids: list[str]) -> list[PartnerOrder]:
        if not 1 <= len(order_ids) <= self.max_order_detail_batch:
            raise ValueError("1 to 50 orders per detail call")
        data = self._call("GET", "/api/v2/order/get_order_detail",
                          params={"order_sn_list": ",".join(order_ids),
                                  "response_optional_fields": "item_list,total_amount"})["response"]
        return [PartnerOrder(
            order_id=str(o["order_sn"]), status=o["order_status"], create_time=int(o["create_time"]),
            update_time=int(o["update_time"]), total=int(o.get("total_amount") or 0),
            lines=[OrderLine(item_id=str(line["item_id"]), model_id=str(line.get("model_id") or 0),
                             sku=line.get("model_sku") or line.get("item_sku") or "",
                             name=" ".join(filter(None, [line.get("item_name"), line.get("model_name")])),
                             quantity=int(line["model_quantity_purchased"]),
                             price=int(line.get("model_discounted_price") or 0))
                   for line in o.get("item_list") or []],
            raw=o) for o in data.get("order_list") or []]

    def cancel_order(self, order_id: str, reason: str = "OUT_OF_STOCK") -> None:
        self._call("POST", "/api/v2/order/cancel_order", body={"order_sn": order_id, "cancel_reason": reason})

    # --- webhooks ------------------------------------------------------------------------------------------
    def verify_webhook(self, url: str, raw_body: bytes, headers: dict) -> bool:
        import hmac

        given = headers.get("Authorization") or headers.get("authorization") or ""
        expected = hmac_hex(self.settings.partner_key, url.encode() + b"|" + raw_body)
        return bool(given) and hmac.compare_digest(given, expected)
