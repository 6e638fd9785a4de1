"""Shopee: reading items and models, stock updates with batch limits and partial failures."""

import pytest

UPDATE = "/api/v2/product/update_stock"


def _stock_entry(model_id, stock):
    return {"model_id": model_id, "seller_stock": [{"stock": stock}]}


def _models(sandbox, shop, item_id):
    answer = sandbox.shop_call("GET", "/api/v2/product/get_model_list", shop.tokens, shop.shop_id,
                               params={"item_id": item_id})
    assert answer.status_code == 200, answer.text
    return {m["model_sku"]: m for m in answer.json()["response"]["model"]}


def test_models_and_base_info_show_stock(shopee_sandbox, shopee_shop):
    coffee, honey = shopee_shop.products
    models = _models(shopee_sandbox, shopee_shop, coffee["item_id"])
    assert models["KOPI-250"]["stock_info_v2"]["seller_stock"][0]["stock"] == 20
    assert models["KOPI-500"]["stock_info_v2"]["summary_info"]["total_available_stock"] == 10
    info = shopee_sandbox.shop_call("GET", "/api/v2/product/get_item_base_info", shopee_shop.tokens,
                                    shopee_shop.shop_id, params={"item_id_list": f"{coffee['item_id']},"
                                                                                 f"{honey['item_id']}"})
    items = {i["item_id"]: i for i in info.json()["response"]["item_list"]}
    assert items[coffee["item_id"]]["has_model"] is True
    assert items[honey["item_id"]]["has_model"] is False
    assert items[honey["item_id"]]["stock_info_v2"]["seller_stock"][0]["stock"] == 7


def test_item_list_pages_with_offset(shopee_sandbox, shopee_shop):
    params = {"offset": 0, "page_size": 1, "item_status": "NORMAL"}
    first = shopee_sandbox.shop_call("GET", "/api/v2/product/get_item_list", shopee_shop.tokens,
                                     shopee_shop.shop_id, params=params).json()["response"]
    assert first["has_next_page"] and first["total_count"] == 2 and first["next_offset"] == 1
    second = shopee_sandbox.shop_call("GET", "/api/v2/product/get_item_list", shopee_shop.tokens,
                                      shopee_shop.shop_id, params=params | {"offset": 1}).json()["response"]
    assert not second["has_next_page"]
    too_big = shopee_sandbox.shop_call("GET", "/api/v2/product/get_item_list", shopee_shop.tokens,
                                       shopee_shop.shop_id, params=params | {"page_size": 101})
    assert too_big.json()["error"] == "error_param"


def test_update_stock_sets_absolute_values_and_an_unknown_model_fails_alone(shopee_sandbox, shopee_shop):
    coffee = shopee_shop.products[0]
    small, large = (m["model_id"] for m in coffee["models"])
    answer = shopee_sandbox.shop_call("POST", UPDATE, shopee_shop.tokens, shopee_shop.shop_id, json_body={
        "item_id": coffee["item_id"], "stock_list": [_stock_entry(small, 3), _stock_entry(123, 9),
                                                      _stock_entry(large, 0)]})
    assert answer.status_code == 200
    result = answer.json()["response"]
    assert {(s["model_id"], s["stock"]) for s in result["success_list"]} == {(small, 3), (large, 0)}
    assert [f["model_id"] for f in result["failure_list"]] == [123] and result["failure_list"][0]["failed_reason"]
    models = _models(shopee_sandbox, shopee_shop, coffee["item_id"])
    assert models["KOPI-250"]["stock_info_v2"]["seller_stock"][0]["stock"] == 3
    assert models["KOPI-500"]["stock_info_v2"]["seller_stock"][0]["stock"] == 0


def test_item_without_variants_uses_model_id_zero(shopee_sandbox, shopee_shop):
    honey = shopee_shop.products[1]
    answer = shopee_sandbox.shop_call("POST", UPDATE, shopee_shop.tokens, shopee_shop.shop_id, json_body={
        "item_id": honey["item_id"], "stock_list": [_stock_entry(0, 42)]}).json()["response"]
    assert answer["success_list"][0]["stock"] == 42 and not answer["failure_list"]
    stock = shopee_sandbox.ctl("GET", f"/shops/{shopee_shop.shop_id}/stock")["products"][1]["models"][0]["stock"]
    assert stock == 42


def test_fifty_one_models_are_refused(shopee_sandbox, shopee_shop):
    coffee = shopee_shop.products[0]
    model_id = coffee["models"][0]["model_id"]
    answer = shopee_sandbox.shop_call("POST", UPDATE, shopee_shop.tokens, shopee_shop.shop_id, json_body={
        "item_id": coffee["item_id"], "stock_list": [_stock_entry(model_id, 5)] * 51})
    assert answer.status_code == 400 and answer.json()["error"] == "error_param"
    fifty = shopee_sandbox.shop_call("POST", UPDATE, shopee_shop.tokens, shopee_shop.shop_id, json_body={
        "item_id": coffee["item_id"], "stock_list": [_stock_entry(model_id, 5)] * 50})
    assert fifty.status_code == 200


@pytest.mark.parametrize("stock", [-1, 100_000, "5", 2.5])
def test_stock_outside_range_is_refused(shopee_sandbox, shopee_shop, stock):
    coffee = shopee_shop.products[0]
    answer = shopee_sandbox.shop_call("POST", UPDATE, shopee_shop.tokens, shopee_shop.shop_id, json_body={
        "item_id": coffee["item_id"], "stock_list": [_stock_entry(coffee["models"][0]["model_id"], stock)]})
    assert answer.status_code == 400 and answer.json()["error"] == "error_param"
    assert _models(shopee_sandbox, shopee_shop, coffee["item_id"])["KOPI-250"]["stock_info_v2"]["seller_stock"][0][
        "stock"] == 20


def test_stock_of_99999_is_accepted(shopee_sandbox, shopee_shop):
    coffee = shopee_shop.products[0]
    answer = shopee_sandbox.shop_call("POST", UPDATE, shopee_shop.tokens, shopee_shop.shop_id, json_body={
        "item_id": coffee["item_id"], "stock_list": [_stock_entry(coffee["models"][0]["model_id"], 99_999)]})
    assert answer.json()["response"]["success_list"][0]["stock"] == 99_999


def test_item_of_another_shop_is_not_found(shopee_sandbox, shopee_shop):
    other = shopee_sandbox.ctl("POST", "/shops", {"name": "Other"})
    foreign = shopee_sandbox.ctl("POST", f"/shops/{other['shop_id']}/products", {"name": "X", "price": 1,
                                                                                 "stock": 1, "sku": "X"})
    answer = shopee_sandbox.shop_call("POST", UPDATE, shopee_shop.tokens, shopee_shop.shop_id, json_body={
        "item_id": foreign["item_id"], "stock_list": [_stock_entry(0, 5)]})
    assert answer.json()["error"] == "error_param"
