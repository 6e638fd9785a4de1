"""Rate limits, injected faults, the request log, the control API's answers to bad input, the readable pages."""

import time

import pytest
import requests

ITEM_LIST = "/api/v2/product/get_item_list"
LIST_PARAMS = {"offset": 0, "page_size": 10, "item_status": "NORMAL"}
TT_SEARCH = "/product/202309/products/search"


def _shopee_items(sandbox, shop, **kwargs):
    return sandbox.shop_call("GET", ITEM_LIST, shop.tokens, shop.shop_id, params=LIST_PARAMS, **kwargs)


def _tiktok_search(sandbox, shop, **kwargs):
    return sandbox.shop_call("POST", TT_SEARCH, shop.tokens, params={"page_size": "5"}, json_body={}, **kwargs)


def _burst(call, count: int) -> tuple[list, float]:
    started = time.monotonic()
    answers = [call() for _ in range(count)]
    return answers, time.monotonic() - started


def _allowed(limit: int, elapsed: float) -> int:
    """How many calls a sliding one-second window can let through in `elapsed` seconds (a busy machine is slow)."""
    return limit * (1 + int(elapsed))


def test_shopee_burst_over_the_shop_limit_gets_429(shopee_sandbox, shopee_shop):
    shopee_sandbox.ctl("PATCH", f"/shops/{shopee_shop.shop_id}", {"rate_limit": 5})
    answers, elapsed = _burst(lambda: _shopee_items(shopee_sandbox, shopee_shop), 12)
    codes = [a.status_code for a in answers]
    assert codes[:5] == [200] * 5 and codes.count(200) <= _allowed(5, elapsed)
    limited = [a for a in answers if a.status_code == 429]
    assert len(limited) == 12 - codes.count(200) >= 12 - _allowed(5, elapsed)
    assert limited[0].json()["error"] == "error_rate_limit"
    time.sleep(1.05)
    assert _shopee_items(shopee_sandbox, shopee_shop).status_code == 200


def test_shopee_default_limit_is_ten_per_second_per_api_family(shopee_sandbox):
    shop = shopee_sandbox.ctl("POST", "/shops", {"name": "Toko"})
    assert shop["rate_limit"] == 10
    tokens = shopee_sandbox.connect(shop["shop_id"])
    answers, elapsed = _burst(lambda: shopee_sandbox.shop_call("GET", ITEM_LIST, tokens, shop["shop_id"],
                                                               params=LIST_PARAMS), 14)
    codes = [a.status_code for a in answers]
    assert codes[:10] == [200] * 10 and codes.count(200) <= _allowed(10, elapsed)
    assert codes.count(429) == 14 - codes.count(200) >= 14 - _allowed(10, elapsed)
    orders = shopee_sandbox.shop_call("GET", "/api/v2/order/get_order_detail", tokens, shop["shop_id"],
                                      params={"order_sn_list": "X"})
    assert orders.status_code == 200  # another API family has its own budget


def test_tiktok_burst_gets_429_with_code_36009002(tiktok_sandbox, tiktok_shop):
    tiktok_sandbox.ctl("PATCH", f"/shops/{tiktok_shop.shop_id}", {"rate_limit": 3})
    answers, elapsed = _burst(lambda: _tiktok_search(tiktok_sandbox, tiktok_shop), 6)
    codes = [a.status_code for a in answers]
    assert codes[:3] == [200] * 3 and codes.count(200) <= _allowed(3, elapsed)
    limited = [a for a in answers if a.status_code == 429]
    assert len(limited) == 6 - codes.count(200) >= 6 - _allowed(3, elapsed)
    if limited:
        assert limited[0].json()["code"] == 36009002


def test_injected_429_burst_refuses_the_next_calls(tiktok_sandbox, tiktok_shop):
    tiktok_sandbox.ctl("PUT", "/faults", {"rate_limit_burst": 2})
    codes = [_tiktok_search(tiktok_sandbox, tiktok_shop).status_code for _ in range(3)]
    assert codes == [429, 429, 200]


def test_injected_errors_answer_5xx_in_the_platform_shape(shopee_sandbox, shopee_shop, tiktok_sandbox,
                                                         tiktok_shop):
    shopee_sandbox.ctl("PUT", "/faults", {"error_rate": 1.0})
    tiktok_sandbox.ctl("PUT", "/faults", {"error_rate": 1.0})
    shopee = _shopee_items(shopee_sandbox, shopee_shop)
    tiktok = _tiktok_search(tiktok_sandbox, tiktok_shop)
    assert shopee.status_code == 500 and shopee.json()["error"] == "error_server"
    assert tiktok.status_code == 500 and tiktok.json()["code"] != 0
    shopee_sandbox.ctl("PUT", "/faults", {"error_rate": 0})
    assert _shopee_items(shopee_sandbox, shopee_shop).status_code == 200


def test_injected_latency_and_timeouts(shopee_sandbox, shopee_shop):
    shopee_sandbox.ctl("PUT", "/faults", {"latency_ms": 300})
    started = time.monotonic()
    assert _shopee_items(shopee_sandbox, shopee_shop).status_code == 200
    assert time.monotonic() - started >= 0.3
    shopee_sandbox.ctl("PUT", "/faults", {"latency_ms": 0, "timeout_rate": 1.0, "timeout_seconds": 1.0})
    with pytest.raises(requests.Timeout):
        _shopee_items(shopee_sandbox, shopee_shop, timeout=0.3)
    time.sleep(0.9)  # let the hung call finish, so that its log row does not land in the next test
    assert shopee_sandbox.requests_log(path=ITEM_LIST)["requests"][-1]["status"] == 504


def test_every_api_request_is_logged(shopee_sandbox, shopee_shop):
    shopee_sandbox.ctl("DELETE", "/requests")
    for _ in range(3):
        _shopee_items(shopee_sandbox, shopee_shop)
    _shopee_items(shopee_sandbox, shopee_shop, timestamp=1)
    log = shopee_sandbox.requests_log()
    assert log["counts"] == {ITEM_LIST: 4}
    assert [r["status"] for r in log["requests"]] == [200, 200, 200, 400]
    assert log["requests"][-1]["error"] == "timestamp"
    assert shopee_sandbox.requests_log(shop_id=str(shopee_shop.shop_id))["total"] == 4
    since = shopee_sandbox.requests_log(since_id=log["requests"][1]["id"])
    assert since["total"] == 2


BAD_CONTROL = [
    ("POST", "/shops", None, 400),
    ("POST", "/shops", ["not", "an", "object"], 400),
    ("POST", "/shops", {"name": ""}, 400),
    ("POST", "/shops", {"name": "x", "rate_limit": "fast"}, 400),
    ("POST", "/shops", {"name": "x", "shop_id": -3}, 400),
    ("PATCH", "/shops/{shop}", {"rate_limit": 0}, 400),
    ("PATCH", "/shops/{shop}", {"colour": "red"}, 400),
    ("PATCH", "/shops/{shop}", {}, 400),
    ("GET", "/shops/999", None, 404),
    ("POST", "/shops/{shop}/products", {"name": "Kopi"}, 400),
    ("POST", "/shops/{shop}/products", {"name": "Kopi", "price": 1, "stock": 100_000}, 400),
    ("POST", "/shops/{shop}/products", {"name": "Kopi", "variants": []}, 400),
    ("POST", "/shops/{shop}/products", {"name": "Kopi", "variants": ["x"]}, 400),
    ("POST", "/shops/{shop}/orders", {"lines": [{"sku": "NOPE"}]}, 400),
    ("POST", "/shops/{shop}/orders", {"lines": [{"sku": "KOPI-250", "quantity": 0}]}, 400),
    ("POST", "/shops/{shop}/orders", {"lines": "KOPI-250"}, 400),
    ("POST", "/shops/{shop}/orders", {"lines": [{"sku": "KOPI-250", "quantity": 21}]}, 409),
    ("POST", "/orders/NOPE/pay", None, 404),
    ("PUT", "/faults", {"error_rate": 2}, 400),
    ("PUT", "/faults", {"meteor_strike": 1}, 400),
    ("PUT", "/faults", {"reorder_pushes": "yes"}, 400),
    ("PUT", "/config", {"access_token_ttl": -1}, 400),
    ("PUT", "/config", {"partner_key": "x"}, 400),
    ("PUT", "/push-callback", {"url": "ftp://x"}, 400),
    ("GET", "/pushes?state=odd", None, 400),
    ("GET", "/requests?since_id=abc", None, 400),
]


@pytest.mark.parametrize(("method", "path", "payload", "status"), BAD_CONTROL)
def test_bad_control_input_gets_a_clear_error(shopee_sandbox, shopee_shop, method, path, payload, status):
    answer = shopee_sandbox.control(method, path.format(shop=shopee_shop.shop_id), payload)
    assert answer.status_code == status, answer.text
    assert isinstance(answer.json()["error"], str) and answer.json()["error"]


def test_order_action_refused_in_the_wrong_state(tiktok_sandbox, tiktok_shop):
    order = tiktok_sandbox.ctl("POST", f"/shops/{tiktok_shop.shop_id}/orders", {"lines": [{"sku": "KOPI-250"}]})
    answer = tiktok_sandbox.control("POST", f"/orders/{order['order_id']}/deliver")
    assert answer.status_code == 409 and "UNPAID" in answer.json()["error"]
    assert tiktok_sandbox.control("POST", f"/orders/{order['order_id']}/teleport").status_code == 400


def test_shop_page_shows_stock_and_recent_orders(shopee_sandbox, shopee_shop):
    shopee_sandbox.ctl("POST", f"/shops/{shopee_shop.shop_id}/orders", {"lines": [{"sku": "MADU-1", "quantity": 2}]})
    index = shopee_sandbox.http.get(shopee_sandbox.base_url + "/", timeout=5)
    assert index.status_code == 200 and f"/shop/{shopee_shop.shop_id}" in index.text
    page = shopee_sandbox.http.get(f"{shopee_sandbox.base_url}/shop/{shopee_shop.shop_id}", timeout=5)
    assert page.status_code == 200
    assert "Madu Hutan" in page.text and ">5</td>" in page.text and "2 × MADU-1" in page.text
    assert "UNPAID" in page.text and "Rp 90.000" in page.text
