"""TikTok Shop: products and inventory updates (per-SKU failures), orders, search paging and detail batches."""

import pytest

SEARCH_ORDERS = "/order/202309/orders/search"


def _inventory(product_id):
    return f"/product/202309/products/{product_id}/inventory/update"


def _sku(sku_id, quantity):
    return {"id": sku_id, "inventory": [{"quantity": quantity}]}


def _product(sandbox, shop, product_id):
    answer = sandbox.shop_call("GET", f"/product/202309/products/{product_id}", shop.tokens)
    assert answer.status_code == 200, answer.text
    return {s["seller_sku"]: s for s in answer.json()["data"]["skus"]}


def test_inventory_update_is_absolute_and_an_unknown_sku_fails_alone(tiktok_sandbox, tiktok_shop):
    coffee = tiktok_shop.products[0]
    small, large = (s["sku_id"] for s in coffee["skus"])
    answer = tiktok_sandbox.shop_call("POST", _inventory(coffee["product_id"]), tiktok_shop.tokens, json_body={
        "skus": [_sku(small, 4), _sku("1", 9), _sku(large, 0)]})
    assert answer.status_code == 200 and answer.json()["code"] == 0
    errors = answer.json()["data"]["errors"]
    assert [e["detail"]["sku_id"] for e in errors] == ["1"] and errors[0]["code"] != 0
    skus = _product(tiktok_sandbox, tiktok_shop, coffee["product_id"])
    assert skus["KOPI-250"]["inventory"][0]["quantity"] == 4
    assert skus["KOPI-500"]["inventory"][0]["quantity"] == 0


@pytest.mark.parametrize("quantity", [-1, 100_000, "3"])
def test_quantity_outside_range_is_refused(tiktok_sandbox, tiktok_shop, quantity):
    coffee = tiktok_shop.products[0]
    answer = tiktok_sandbox.shop_call("POST", _inventory(coffee["product_id"]), tiktok_shop.tokens, json_body={
        "skus": [_sku(coffee["skus"][0]["sku_id"], quantity)]})
    assert answer.status_code == 400 and answer.json()["code"] != 0
    assert _product(tiktok_sandbox, tiktok_shop, coffee["product_id"])["KOPI-250"]["inventory"][0]["quantity"] == 20


def test_too_many_skus_and_unknown_product_are_refused(tiktok_sandbox, tiktok_shop):
    coffee = tiktok_shop.products[0]
    many = tiktok_sandbox.shop_call("POST", _inventory(coffee["product_id"]), tiktok_shop.tokens, json_body={
        "skus": [_sku(coffee["skus"][0]["sku_id"], 1)] * 101})
    assert many.status_code == 400
    unknown = tiktok_sandbox.shop_call("POST", _inventory("1729000000000999999"), tiktok_shop.tokens, json_body={
        "skus": [_sku(coffee["skus"][0]["sku_id"], 1)]})
    assert unknown.status_code == 404 and unknown.json()["code"] != 0


def _order(sandbox, shop, sku="KOPI-250", quantity=1):
    return sandbox.ctl("POST", f"/shops/{shop.shop_id}/orders", {"lines": [{"sku": sku, "quantity": quantity}]})


def test_order_lowers_stock_and_moves_through_states(tiktok_sandbox, tiktok_shop):
    order_id = _order(tiktok_sandbox, tiktok_shop, quantity=2)["order_id"]
    assert order_id.isdigit()
    coffee = tiktok_shop.products[0]
    assert _product(tiktok_sandbox, tiktok_shop, coffee["product_id"])["KOPI-250"]["inventory"][0]["quantity"] == 18
    states = [tiktok_sandbox.ctl("POST", f"/orders/{order_id}/{a}")["status"]
              for a in ("pay", "ship", "deliver", "complete")]
    assert states == ["AWAITING_SHIPMENT", "IN_TRANSIT", "DELIVERED", "COMPLETED"]
    detail = tiktok_sandbox.shop_call("GET", "/order/202309/orders", tiktok_shop.tokens,
                                      params={"ids": order_id}).json()["data"]["orders"][0]
    assert detail["status"] == "COMPLETED" and len(detail["line_items"]) == 2
    assert {line["seller_sku"] for line in detail["line_items"]} == {"KOPI-250"}


def test_cancel_restores_stock(tiktok_sandbox, tiktok_shop):
    order_id = _order(tiktok_sandbox, tiktok_shop, sku="MADU-1", quantity=5)["order_id"]
    tiktok_sandbox.ctl("POST", f"/orders/{order_id}/pay_on_hold")
    assert tiktok_sandbox.ctl("POST", f"/orders/{order_id}/cancel")["status"] == "CANCELLED"
    honey = tiktok_shop.products[1]
    assert _product(tiktok_sandbox, tiktok_shop, honey["product_id"])["MADU-1"]["inventory"][0]["quantity"] == 7


def test_search_paging_returns_every_order_exactly_once(tiktok_sandbox, tiktok_shop):
    placed = {_order(tiktok_sandbox, tiktok_shop)["order_id"] for _ in range(11)}
    seen, token = [], ""
    while True:
        params = {"page_size": "4"} | ({"page_token": token} if token else {})
        data = tiktok_sandbox.shop_call("POST", SEARCH_ORDERS, tiktok_shop.tokens, params=params,
                                        json_body={}).json()["data"]
        assert data["total_count"] == 11
        seen += [o["id"] for o in data["orders"]]
        token = data["next_page_token"]
        if not token:
            break
    assert len(seen) == 11 and set(seen) == placed


def test_search_checks_page_size_status_and_token(tiktok_sandbox, tiktok_shop):
    for params, body in (({"page_size": "101"}, {}), ({"page_size": "0"}, {}),
                         ({"page_size": "5"}, {"order_status": "PAID"}),
                         ({"page_size": "5", "page_token": "garbage"}, {})):
        answer = tiktok_sandbox.shop_call("POST", SEARCH_ORDERS, tiktok_shop.tokens, params=params, json_body=body)
        assert answer.status_code == 400 and answer.json()["code"] != 0, (params, body)


def test_search_filters_on_status_and_update_time(tiktok_sandbox, tiktok_shop):
    first = _order(tiktok_sandbox, tiktok_shop)["order_id"]
    _order(tiktok_sandbox, tiktok_shop)
    moved = tiktok_sandbox.ctl("POST", f"/orders/{first}/pay")
    assert moved["status"] == "AWAITING_SHIPMENT"
    data = tiktok_sandbox.shop_call("POST", SEARCH_ORDERS, tiktok_shop.tokens,
                                    params={"page_size": "10", "sort_field": "update_time"},
                                    json_body={"order_status": "AWAITING_SHIPMENT", "update_time_ge": 0}).json()
    assert [o["id"] for o in data["data"]["orders"]] == [first]


def test_order_detail_takes_at_most_fifty(tiktok_sandbox, tiktok_shop):
    order_id = _order(tiktok_sandbox, tiktok_shop)["order_id"]
    ids = [order_id] + [str(i) for i in range(49)]
    found = tiktok_sandbox.shop_call("GET", "/order/202309/orders", tiktok_shop.tokens,
                                     params={"ids": ",".join(ids)}).json()["data"]["orders"]
    assert [o["id"] for o in found] == [order_id]
    too_many = tiktok_sandbox.shop_call("GET", "/order/202309/orders", tiktok_shop.tokens,
                                        params={"ids": ",".join(ids + ["x"])})
    assert too_many.status_code == 400
