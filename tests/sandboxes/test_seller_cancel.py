"""The seller's own cancel over HTTP: Shopee `order/cancel_order` and TikTok `cancellations` move the order to
CANCELLED with its reason, put the stock back and push the change; other states and bad input get the platform's
4xx and change nothing."""

import pytest

SHOPEE_CANCEL = "/api/v2/order/cancel_order"
TIKTOK_CANCEL = "/return_refund/202309/cancellations"


def _order(sandbox, shop, sku="KOPI-250", quantity=2, paid=True):
    return sandbox.ctl("POST", f"/shops/{shop.shop_id}/orders",
                       {"lines": [{"sku": sku, "quantity": quantity}], "paid": paid})["order_id"]


def _stock(sandbox, shop, sku):
    for product in sandbox.ctl("GET", f"/shops/{shop.shop_id}/stock")["products"]:
        for model in product.get("models") or product.get("skus"):
            if (model.get("model_sku") or model.get("seller_sku")) == sku:
                return model["stock"]
    raise AssertionError(sku)


def _coffee_250(shop):
    model = shop.products[0]["models"][0]
    return {"item_id": shop.products[0]["item_id"], "model_id": model["model_id"]}


def _shopee_cancel(sandbox, shop, wanted, **extra):
    return sandbox.shop_call("POST", SHOPEE_CANCEL, shop.tokens, shop.shop_id, json_body={
        "order_sn": wanted, "cancel_reason": "OUT_OF_STOCK", "item_list": [_coffee_250(shop)]} | extra)


def _tiktok_cancel(sandbox, shop, wanted, **extra):
    return sandbox.shop_call("POST", TIKTOK_CANCEL, shop.tokens,
                             json_body={"order_id": wanted, "cancel_reason": "OUT_OF_STOCK"} | extra)


def test_shopee_seller_cancel_restores_stock_keeps_the_reason_and_pushes(shopee_sandbox, shopee_shop, push_receiver):
    shopee_sandbox.ctl("PUT", "/push-callback", {"url": push_receiver.url})
    order_sn = _order(shopee_sandbox, shopee_shop)
    assert _stock(shopee_sandbox, shopee_shop, "KOPI-250") == 18
    answer = _shopee_cancel(shopee_sandbox, shopee_shop, order_sn)
    assert answer.status_code == 200 and answer.json()["error"] == "", answer.text
    assert isinstance(answer.json()["response"]["update_time"], int)
    order = shopee_sandbox.ctl("GET", f"/orders/{order_sn}")
    assert (order["status"], order["cancel_reason"]) == ("CANCELLED", "OUT_OF_STOCK")
    assert _stock(shopee_sandbox, shopee_shop, "KOPI-250") == 20
    detail = shopee_sandbox.shop_call("GET", "/api/v2/order/get_order_detail", shopee_shop.tokens,
                                      shopee_shop.shop_id, params={"order_sn_list": order_sn}).json()
    assert detail["response"]["order_list"][0]["cancel_reason"] == "OUT_OF_STOCK"
    statuses = [p["json"]["data"]["status"] for p in push_receiver.wait_for(3)]
    assert statuses == ["UNPAID", "READY_TO_SHIP", "CANCELLED"]
    log = shopee_sandbox.requests_log(path=SHOPEE_CANCEL)
    assert log["total"] == 1 and log["requests"][0]["status"] == 200
    assert log["requests"][0]["shop"] == str(shopee_shop.shop_id)


def test_shopee_refuses_to_cancel_a_shipped_order_and_changes_nothing(shopee_sandbox, shopee_shop):
    order_sn = _order(shopee_sandbox, shopee_shop)
    shopee_sandbox.ctl("POST", f"/orders/{order_sn}/ship")
    answer = _shopee_cancel(shopee_sandbox, shopee_shop, order_sn)
    assert answer.status_code == 400 and answer.json()["error"] == "error_param"
    assert "SHIPPED" in answer.json()["message"] and answer.json()["request_id"]
    assert shopee_sandbox.ctl("GET", f"/orders/{order_sn}")["status"] == "SHIPPED"
    assert _stock(shopee_sandbox, shopee_shop, "KOPI-250") == 18


@pytest.mark.parametrize("body, status, error", [
    ({"item_list": None}, 400, "error_param"),  # OUT_OF_STOCK needs the lines
    ({"item_list": [{"item_id": 1, "model_id": 0}]}, 400, "error_param"),  # not a line of this order
    ({"item_list": [{"item_id": "x"}]}, 400, "error_param"),
    ({"cancel_reason": "BORED"}, 400, "error_param"),
    ({"order_sn": 42}, 400, "error_param"),
    ({"order_sn": "2612040NOPE"}, 404, "error_not_found"),
])
def test_shopee_bad_cancel_input_is_a_4xx_and_changes_nothing(shopee_sandbox, shopee_shop, body, status, error):
    order_sn = _order(shopee_sandbox, shopee_shop, paid=False)
    answer = _shopee_cancel(shopee_sandbox, shopee_shop, order_sn, **body)
    assert (answer.status_code, answer.json()["error"]) == (status, error), answer.text
    assert shopee_sandbox.ctl("GET", f"/orders/{order_sn}")["status"] == "UNPAID"
    raw = shopee_sandbox.shop_call("POST", SHOPEE_CANCEL, shopee_shop.tokens, shopee_shop.shop_id, json_body=[1])
    assert raw.status_code == 400


def test_shopee_cancel_is_signed_and_rate_limited_like_other_shop_calls(shopee_sandbox, shopee_shop):
    order_sn = _order(shopee_sandbox, shopee_shop)
    forged = shopee_sandbox.call("POST", SHOPEE_CANCEL, access_token=shopee_shop.tokens["access_token"],
                                 shop_id=shopee_shop.shop_id, sign="0" * 64, json_body={"order_sn": order_sn})
    assert forged.status_code == 403 and forged.json()["error"] == "error_sign"
    shopee_sandbox.ctl("PUT", "/faults", {"rate_limit_burst": 1})
    limited = _shopee_cancel(shopee_sandbox, shopee_shop, order_sn)
    assert limited.status_code == 429 and limited.json()["error"] == "error_rate_limit"
    assert shopee_sandbox.ctl("GET", f"/orders/{order_sn}")["status"] == "READY_TO_SHIP"
    assert [r["status"] for r in shopee_sandbox.requests_log(path=SHOPEE_CANCEL)["requests"]] == [403, 429]


@pytest.mark.parametrize("move", [None, "pay_on_hold", "pay"])
def test_tiktok_seller_cancel_from_each_allowed_state(tiktok_sandbox, tiktok_shop, push_receiver, move):
    tiktok_sandbox.ctl("PUT", "/push-callback", {"url": push_receiver.url})
    order_id = _order(tiktok_sandbox, tiktok_shop, paid=False)
    if move:
        tiktok_sandbox.ctl("POST", f"/orders/{order_id}/{move}")
    answer = _tiktok_cancel(tiktok_sandbox, tiktok_shop, order_id)
    assert answer.status_code == 200 and answer.json()["code"] == 0, answer.text
    assert answer.json()["data"]["cancel_id"].isdigit()
    order = tiktok_sandbox.ctl("GET", f"/orders/{order_id}")
    assert (order["status"], order["cancel_reason"]) == ("CANCELLED", "OUT_OF_STOCK")
    assert _stock(tiktok_sandbox, tiktok_shop, "KOPI-250") == 20
    pushes = push_receiver.wait_for(3 if move else 2)
    assert pushes[-1]["json"]["data"]["order_status"] == "CANCELLED"
    shown = tiktok_sandbox.shop_call("GET", "/order/202309/orders", tiktok_shop.tokens,
                                     params={"ids": order_id}).json()["data"]["orders"][0]
    assert shown["cancel_reason"] == "OUT_OF_STOCK"


@pytest.mark.parametrize("moves", [["pay", "arrange"], ["pay", "ship"], ["cancel"]])
def test_tiktok_refuses_to_cancel_past_awaiting_shipment(tiktok_sandbox, tiktok_shop, moves):
    order_id = _order(tiktok_sandbox, tiktok_shop, paid=False)
    for move in moves:
        tiktok_sandbox.ctl("POST", f"/orders/{order_id}/{move}")
    before = tiktok_sandbox.ctl("GET", f"/orders/{order_id}")
    answer = _tiktok_cancel(tiktok_sandbox, tiktok_shop, order_id)
    assert answer.status_code == 400 and answer.json()["code"] == 36009006 and answer.json()["data"] is None
    assert tiktok_sandbox.ctl("GET", f"/orders/{order_id}") == before


@pytest.mark.parametrize("body, status", [
    ({"cancel_reason": ""}, 400), ({"cancel_reason": 3}, 400), ({"order_id": None}, 400),
    ({"skus": [{"sku_id": "1", "quantity": 1}]}, 400), ({"order_id": "1"}, 404),
])
def test_tiktok_bad_cancel_input_is_a_4xx_and_changes_nothing(tiktok_sandbox, tiktok_shop, body, status):
    order_id = _order(tiktok_sandbox, tiktok_shop)
    answer = _tiktok_cancel(tiktok_sandbox, tiktok_shop, order_id, **body)
    assert answer.status_code == status and answer.json()["code"] != 0, answer.text
    assert tiktok_sandbox.ctl("GET", f"/orders/{order_id}")["status"] == "AWAITING_SHIPMENT"


def test_tiktok_cancel_needs_the_shops_token_and_is_logged_per_route(tiktok_sandbox, tiktok_shop):
    order_id = _order(tiktok_sandbox, tiktok_shop)
    anonymous = tiktok_sandbox.call("POST", TIKTOK_CANCEL, cipher=tiktok_shop.tokens["cipher"],
                                    json_body={"order_id": order_id, "cancel_reason": "OUT_OF_STOCK"})
    assert anonymous.status_code == 401 and anonymous.json()["code"] == 105001
    assert _tiktok_cancel(tiktok_sandbox, tiktok_shop, order_id).status_code == 200
    log = tiktok_sandbox.requests_log(api=TIKTOK_CANCEL)
    assert [r["status"] for r in log["requests"]] == [401, 200]
