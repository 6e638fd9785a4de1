"""Shopee: buyer orders lower stock, statuses move as on the platform, order list windows, cursors, detail."""

import time

LIST = "/api/v2/order/get_order_list"
DETAIL = "/api/v2/order/get_order_detail"


def _order(sandbox, shop, sku="KOPI-250", quantity=1, paid=False):
    return sandbox.ctl("POST", f"/shops/{shop.shop_id}/orders",
                       {"lines": [{"sku": sku, "quantity": quantity}], "paid": paid})


def _list(sandbox, shop, **params):
    now = int(time.time())
    query = {"time_range_field": "create_time", "time_from": now - 3600, "time_to": now + 60, "page_size": 20}
    return sandbox.shop_call("GET", LIST, shop.tokens, shop.shop_id, params=query | params)


def _stock(sandbox, shop, sku):
    for product in sandbox.ctl("GET", f"/shops/{shop.shop_id}/stock")["products"]:
        for model in product["models"]:
            if model["model_sku"] == sku:
                return model["stock"]
    raise AssertionError(sku)


def test_order_lowers_stock_and_cancel_restores_it(shopee_sandbox, shopee_shop):
    order = _order(shopee_sandbox, shopee_shop, quantity=3)
    assert order["status"] == "UNPAID" and len(order["order_id"]) == 14 and order["order_id"][:6].isdigit()
    assert _stock(shopee_sandbox, shopee_shop, "KOPI-250") == 17
    assert shopee_sandbox.ctl("POST", f"/orders/{order['order_id']}/cancel")["status"] == "CANCELLED"
    assert _stock(shopee_sandbox, shopee_shop, "KOPI-250") == 20


def test_statuses_move_paid_ready_shipped_completed(shopee_sandbox, shopee_shop):
    order_id = _order(shopee_sandbox, shopee_shop)["order_id"]
    seen = [shopee_sandbox.ctl("POST", f"/orders/{order_id}/{action}")["status"]
            for action in ("pay", "ship", "complete")]
    assert seen == ["READY_TO_SHIP", "SHIPPED", "COMPLETED"]
    refused = shopee_sandbox.control("POST", f"/orders/{order_id}/cancel")
    assert refused.status_code == 409 and "COMPLETED" in refused.json()["error"]
    detail = shopee_sandbox.shop_call("GET", DETAIL, shopee_shop.tokens, shopee_shop.shop_id,
                                      params={"order_sn_list": order_id}).json()["response"]["order_list"][0]
    assert detail["order_status"] == "COMPLETED"
    assert detail["item_list"][0]["model_sku"] == "KOPI-250"
    assert detail["item_list"][0]["model_quantity_purchased"] == 1


def test_unpaid_order_that_never_pays_is_cancelled_and_stock_returns(shopee_sandbox, shopee_shop):
    order_id = _order(shopee_sandbox, shopee_shop, sku="MADU-1", quantity=7)["order_id"]
    assert _stock(shopee_sandbox, shopee_shop, "MADU-1") == 0
    sold_out = shopee_sandbox.control("POST", f"/shops/{shopee_shop.shop_id}/orders",
                                      {"lines": [{"sku": "MADU-1", "quantity": 1}]})
    assert sold_out.status_code == 409
    assert shopee_sandbox.ctl("POST", f"/orders/{order_id}/expire")["status"] == "CANCELLED"
    assert _stock(shopee_sandbox, shopee_shop, "MADU-1") == 7


def test_window_of_sixteen_days_is_refused_fifteen_accepted(shopee_sandbox, shopee_shop):
    now = int(time.time())
    wide = _list(shopee_sandbox, shopee_shop, time_from=now - 16 * 86400, time_to=now)
    assert wide.status_code == 400 and wide.json()["error"] == "error_param"
    assert _list(shopee_sandbox, shopee_shop, time_from=now - 15 * 86400, time_to=now).status_code == 200


def test_page_size_and_time_field_are_checked(shopee_sandbox, shopee_shop):
    for params in ({"page_size": 0}, {"page_size": 101}, {"time_range_field": "pay_time"}, {"time_from": "x"}):
        assert _list(shopee_sandbox, shopee_shop, **params).json()["error"] == "error_param", params


def test_cursor_paging_returns_every_order_exactly_once(shopee_sandbox, shopee_shop):
    placed = {_order(shopee_sandbox, shopee_shop, quantity=1)["order_id"] for _ in range(13)}
    now = int(time.time())
    window = {"time_from": now - 3600, "time_to": now + 60}  # a cursor belongs to one query: keep the window
    seen, cursor, pages = [], "", 0
    while True:
        response = _list(shopee_sandbox, shopee_shop, page_size=5, cursor=cursor, **window).json()["response"]
        seen += [o["order_sn"] for o in response["order_list"]]
        pages += 1
        if not response["more"]:
            break
        cursor = response["next_cursor"]
        assert cursor
    assert pages == 3 and len(seen) == 13 and set(seen) == placed


def test_forged_or_foreign_cursor_is_refused(shopee_sandbox, shopee_shop):
    for _ in range(3):
        _order(shopee_sandbox, shopee_shop)
    now = int(time.time())
    window = {"time_from": now - 3600, "time_to": now + 60}
    cursor = _list(shopee_sandbox, shopee_shop, page_size=1, **window).json()["response"]["next_cursor"]
    assert _list(shopee_sandbox, shopee_shop, cursor="not-a-cursor", **window).json()["error"] == "error_param"
    other_field = _list(shopee_sandbox, shopee_shop, cursor=cursor, time_range_field="update_time", **window)
    assert other_field.json()["error"] == "error_param"
    other_window = _list(shopee_sandbox, shopee_shop, cursor=cursor, time_from=now - 7200, time_to=now)
    assert other_window.json()["error"] == "error_param"
    assert _list(shopee_sandbox, shopee_shop, cursor=cursor, **window).json()["error"] == ""


def test_update_time_window_finds_changed_orders(shopee_sandbox, shopee_shop):
    order_id = _order(shopee_sandbox, shopee_shop)["order_id"]
    shopee_sandbox.ctl("POST", f"/orders/{order_id}/pay")
    paid = _list(shopee_sandbox, shopee_shop, time_range_field="update_time", order_status="READY_TO_SHIP")
    assert [o["order_sn"] for o in paid.json()["response"]["order_list"]] == [order_id]


def test_order_detail_takes_at_most_fifty(shopee_sandbox, shopee_shop):
    order_id = _order(shopee_sandbox, shopee_shop)["order_id"]
    fifty = ",".join([order_id] + [f"NOPE{i}" for i in range(49)])
    answer = shopee_sandbox.shop_call("GET", DETAIL, shopee_shop.tokens, shopee_shop.shop_id,
                                      params={"order_sn_list": fifty})
    assert [o["order_sn"] for o in answer.json()["response"]["order_list"]] == [order_id]
    too_many = shopee_sandbox.shop_call("GET", DETAIL, shopee_shop.tokens, shopee_shop.shop_id,
                                        params={"order_sn_list": fifty + ",ONEMORE"})
    assert too_many.status_code == 400 and too_many.json()["error"] == "error_param"
