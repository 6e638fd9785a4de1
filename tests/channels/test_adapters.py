"""The adapters against the running sandboxes over HTTP: the whole connect → list → push → read → orders cycle on
each platform, signing by the documented formulas, and errors mapped to the channel error types."""

import hashlib
import hmac
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from config import Config
from marketplace.channels.adapters import adapter_for
from marketplace.channels.adapters.base import (
    AdapterSettings,
    ChannelAuthExpired,
    ChannelAuthRevoked,
    ChannelRateLimited,
    ChannelUnavailable,
    StockUpdate,
)
from marketplace.channels.adapters.shopee import ShopeeAdapter
from marketplace.channels.adapters.tiktok import TikTokAdapter
from tests.channels.helpers import approve, sandbox_config

COFFEE = {"name": "Kopi Robusta Jember", "variants": [
    {"name": "250 g", "sku": "KOPI-250", "price": 35000, "stock": 20},
    {"name": "500 g", "sku": "KOPI-500", "price": 65000, "stock": 10}]}
HONEY = {"name": "Madu Hutan", "sku": "MADU-1", "price": 90000, "stock": 7}


def _connect(sandbox, platform: str):
    shop = sandbox.ctl("POST", "/shops", {"name": "Koppontren Uji", "rate_limit": 1000})
    for product in (COFFEE, HONEY):
        sandbox.ctl("POST", f"/shops/{shop['shop_id']}/products", product)
    config = sandbox_config(Config.__dict__, platform, sandbox.base_url)
    adapter = adapter_for(platform, config=config)
    redirect = f"http://127.0.0.1:5000/seller/x/kanal/{platform}/callback"
    location = approve(sandbox.http, adapter.authorise_url(redirect, "state-1"), shop["shop_id"])
    args = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    callback = adapter.parse_callback(args)
    assert callback.state == "state-1"
    adapter.tokens = adapter.exchange_code(callback)
    assert adapter.tokens.shop_id == str(shop["shop_id"])
    return adapter, shop


@pytest.mark.parametrize("platform", ["shopee", "tiktok"])
def test_connect_list_push_read_and_orders(platform, shopee_sandbox, tiktok_sandbox):
    sandbox = shopee_sandbox if platform == "shopee" else tiktok_sandbox
    adapter, shop = _connect(sandbox, platform)
    listings = {listing.sku: listing for listing in adapter.list_listings()}
    assert {sku: listing.stock for sku, listing in listings.items()} == {"KOPI-250": 20, "KOPI-500": 10, "MADU-1": 7}

    coffee = [listings["KOPI-250"], listings["KOPI-500"]]
    results = adapter.update_stock([StockUpdate(coffee[0].item_id, coffee[0].model_id, 3),
                                    StockUpdate(coffee[1].item_id, coffee[1].model_id, 0),
                                    StockUpdate(coffee[1].item_id, "999", 5)])
    assert [r.ok for r in results] == [True, True, False]
    assert adapter.read_stock([coffee[0].ref, coffee[1].ref]) == {coffee[0].ref: 3, coffee[1].ref: 0}

    honey = listings["MADU-1"]
    order = sandbox.ctl("POST", f"/shops/{shop['shop_id']}/orders",
                        {"lines": [{"sku": "MADU-1", "quantity": 2}]})
    now = int(time.time())
    page = adapter.list_orders(now - 3600, now + 60, field="create_time")
    assert page.order_ids == [order["order_id"]] and not page.more
    [detail] = adapter.get_orders(page.order_ids)
    assert detail.lines[0].sku == "MADU-1" and detail.lines[0].quantity == 2
    assert detail.lines[0].item_id == honey.item_id


def test_shopee_sign_is_the_documented_formula():
    adapter = ShopeeAdapter(AdapterSettings("http://x", "2001", "key"))
    expected = hmac.new(b"key", b"2001/api/v2/product/update_stock1700000000tok42", hashlib.sha256).hexdigest()
    assert adapter.sign("/api/v2/product/update_stock", 1700000000, "tok", "42") == expected


def test_tiktok_sign_is_the_documented_formula():
    adapter = TikTokAdapter(AdapterSettings("http://x", "app", "sec"))
    query = {"timestamp": "1700000000", "app_key": "app", "shop_cipher": "C", "sign": "x", "access_token": "t"}
    base = "sec/p/1app_keyappshop_cipherCtimestamp1700000000{}sec"
    expected = hmac.new(b"sec", base.encode(), hashlib.sha256).hexdigest()
    assert adapter.sign("/p/1", query, "{}") == expected


@pytest.mark.parametrize("platform", ["shopee", "tiktok"])
def test_errors_become_channel_errors(platform, shopee_sandbox, tiktok_sandbox):
    sandbox = shopee_sandbox if platform == "shopee" else tiktok_sandbox
    adapter, shop = _connect(sandbox, platform)
    listing = next(iter(adapter.list_listings()))
    update = [StockUpdate(listing.item_id, listing.model_id, 1)]
    sandbox.ctl("PUT", "/faults", {"rate_limit_burst": 1})
    with pytest.raises(ChannelRateLimited):
        adapter.update_stock(update)
    sandbox.ctl("PUT", "/faults", {"error_rate": 1.0})
    with pytest.raises(ChannelUnavailable):
        adapter.update_stock(update)
    sandbox.ctl("PUT", "/faults", {"error_rate": 0.0})
    sandbox.ctl("POST", f"/shops/{shop['shop_id']}/revoke")
    with pytest.raises(ChannelAuthExpired):
        adapter.update_stock(update)
    if platform == "shopee":  # Shopee's refresh token is single use and revoked with the shop's access
        with pytest.raises(ChannelAuthRevoked):
            adapter.refresh()
