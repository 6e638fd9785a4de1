"""Correctly signed calls with malformed parameters or bodies get the platform's 4xx error, never a 500."""

import itertools

SHOPEE_CALLS = [("GET", "/api/v2/product/get_item_list"), ("GET", "/api/v2/product/get_item_base_info"),
                ("GET", "/api/v2/product/get_model_list"), ("POST", "/api/v2/product/update_stock"),
                ("GET", "/api/v2/order/get_order_list"), ("GET", "/api/v2/order/get_order_detail")]
SHOPEE_PARAMS = [{}, {"item_id": "x", "item_id_list": ",,,", "offset": "-1", "page_size": "abc", "item_status": "X",
                      "time_from": "9999999999999", "time_to": "1", "time_range_field": "create_time",
                      "order_sn_list": "", "cursor": "%%%"}]
SHOPEE_BODIES = [None, [], {"item_id": "1", "stock_list": [None]}, {"item_id": 800000001, "stock_list": [{}]},
                 {"item_id": 800000001, "stock_list": [{"model_id": 0, "seller_stock": [None]}]}]
TIKTOK_CALLS = [("POST", "/product/202309/products/search"), ("GET", "/product/202309/products/abc"),
                ("POST", "/product/202309/products/1729000000000000001/inventory/update"),
                ("POST", "/order/202309/orders/search"), ("GET", "/order/202309/orders")]
TIKTOK_PARAMS = [{}, {"page_size": "5", "page_token": "eyJraW5kIjoib3JkZXJzIn0", "ids": ",", "sort_field": "x"}]
TIKTOK_BODIES = [None, [], {"skus": [None]}, {"skus": [{"id": 5}]}, {"create_time_ge": "x"}, {"order_status": []}]


def test_shopee_refuses_malformed_calls_cleanly(shopee_sandbox, shopee_shop):
    for (method, path), params, body in itertools.product(SHOPEE_CALLS, SHOPEE_PARAMS, SHOPEE_BODIES):
        answer = shopee_sandbox.shop_call(method, path, shopee_shop.tokens, shopee_shop.shop_id, params=params,
                                          json_body=body)
        assert answer.status_code < 500, (path, params, body, answer.text)
        assert "error" in answer.json()


def test_tiktok_refuses_malformed_calls_cleanly(tiktok_sandbox, tiktok_shop):
    for (method, path), params, body in itertools.product(TIKTOK_CALLS, TIKTOK_PARAMS, TIKTOK_BODIES):
        answer = tiktok_sandbox.shop_call(method, path, tiktok_shop.tokens, params=params, json_body=body)
        assert answer.status_code < 500, (path, params, body, answer.text)
        assert "code" in answer.json()
