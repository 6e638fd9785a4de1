"""Shopee: signing, the timestamp window, partner id, authorisation, token lifetimes, refresh, revocation."""

import time

ITEM_LIST = "/api/v2/product/get_item_list"
LIST_PARAMS = {"offset": 0, "page_size": 10, "item_status": "NORMAL"}


def _items(sandbox, shop, **kwargs):
    return sandbox.shop_call("GET", ITEM_LIST, shop.tokens, shop.shop_id, params=LIST_PARAMS, **kwargs)


def test_correct_signature_is_accepted(shopee_sandbox, shopee_shop):
    answer = _items(shopee_sandbox, shopee_shop)
    assert answer.status_code == 200
    body = answer.json()
    assert body["error"] == "" and body["request_id"]
    assert [item["item_id"] for item in body["response"]["item"]] == [p["item_id"] for p in shopee_shop.products]


def test_one_changed_character_in_the_sign_is_refused(shopee_sandbox, shopee_shop):
    timestamp = int(time.time())
    good = shopee_sandbox.sign(ITEM_LIST, timestamp, shopee_shop.tokens["access_token"], shopee_shop.shop_id)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    answer = _items(shopee_sandbox, shopee_shop, timestamp=timestamp, sign=bad)
    assert answer.status_code == 403
    assert answer.json()["error"] == "error_sign" and answer.json()["message"]


def test_signature_of_another_path_is_refused(shopee_sandbox, shopee_shop):
    timestamp = int(time.time())
    other = shopee_sandbox.sign("/api/v2/product/get_model_list", timestamp, shopee_shop.tokens["access_token"],
                                shopee_shop.shop_id)
    assert _items(shopee_sandbox, shopee_shop, timestamp=timestamp, sign=other).json()["error"] == "error_sign"


def test_timestamp_six_minutes_old_is_refused_and_four_minutes_accepted(shopee_sandbox, shopee_shop):
    old = _items(shopee_sandbox, shopee_shop, timestamp=int(time.time()) - 360)
    assert old.status_code == 400 and old.json()["error"] == "error_param"
    assert "timestamp" in old.json()["message"].lower()
    assert _items(shopee_sandbox, shopee_shop, timestamp=int(time.time()) - 240).status_code == 200


def test_missing_parameter_and_wrong_partner_id_are_refused(shopee_sandbox, shopee_shop):
    answer = shopee_sandbox.http.get(shopee_sandbox.base_url + ITEM_LIST, params={"partner_id": 1}, timeout=5)
    assert answer.status_code == 400 and answer.json()["error"] == "error_param"
    wrong = _items(shopee_sandbox, shopee_shop, partner_id=shopee_sandbox.partner_id + 1)
    assert wrong.status_code == 403 and wrong.json()["error"] == "error_auth"


def test_code_is_single_use(shopee_sandbox):
    shop = shopee_sandbox.ctl("POST", "/shops", {"name": "Toko"})
    code = shopee_sandbox.authorise(shop["shop_id"])
    body = {"code": code, "shop_id": shop["shop_id"], "partner_id": shopee_sandbox.partner_id}
    first = shopee_sandbox.call("POST", "/api/v2/auth/token/get", json_body=body)
    assert first.status_code == 200
    tokens = first.json()
    assert tokens["error"] == "" and tokens["access_token"] and tokens["refresh_token"]
    assert tokens["expire_in"] == 4 * 3600
    again = shopee_sandbox.call("POST", "/api/v2/auth/token/get", json_body=body)
    assert again.status_code == 403 and again.json()["error"] == "error_auth"


def test_code_of_another_shop_is_refused(shopee_sandbox):
    first = shopee_sandbox.ctl("POST", "/shops", {"name": "A"})
    second = shopee_sandbox.ctl("POST", "/shops", {"name": "B"})
    code = shopee_sandbox.authorise(first["shop_id"])
    answer = shopee_sandbox.call("POST", "/api/v2/auth/token/get", json_body={
        "code": code, "shop_id": second["shop_id"], "partner_id": shopee_sandbox.partner_id})
    assert answer.json()["error"] == "error_auth"


def test_access_token_expires(shopee_sandbox):
    shopee_sandbox.ctl("PUT", "/config", {"access_token_ttl": 2})
    shop = shopee_sandbox.ctl("POST", "/shops", {"name": "Toko"})
    tokens = shopee_sandbox.connect(shop["shop_id"])
    issued = time.monotonic()
    assert tokens["expire_in"] == 2
    call = lambda: shopee_sandbox.shop_call("GET", ITEM_LIST, tokens, shop["shop_id"], params=LIST_PARAMS)  # noqa: E731
    assert call().status_code == 200
    time.sleep(max(0.0, issued + 2.2 - time.monotonic()))
    expired = call()
    assert expired.status_code == 403 and expired.json()["error"] == "error_auth"


def test_refresh_gives_new_tokens_and_the_old_refresh_token_stops_working(shopee_sandbox):
    shop = shopee_sandbox.ctl("POST", "/shops", {"name": "Toko"})
    tokens = shopee_sandbox.connect(shop["shop_id"])
    body = {"refresh_token": tokens["refresh_token"], "shop_id": shop["shop_id"],
            "partner_id": shopee_sandbox.partner_id}
    fresh = shopee_sandbox.call("POST", "/api/v2/auth/access_token/get", json_body=body)
    assert fresh.status_code == 200
    renewed = fresh.json()
    assert renewed["access_token"] != tokens["access_token"]
    assert renewed["refresh_token"] != tokens["refresh_token"]
    assert shopee_sandbox.shop_call("GET", ITEM_LIST, renewed, shop["shop_id"], params=LIST_PARAMS).ok
    reused = shopee_sandbox.call("POST", "/api/v2/auth/access_token/get", json_body=body)
    assert reused.status_code == 403 and reused.json()["error"] == "error_auth"
    chained = shopee_sandbox.call("POST", "/api/v2/auth/access_token/get",
                                  json_body=body | {"refresh_token": renewed["refresh_token"]})
    assert chained.status_code == 200


def test_revocation_stops_every_token(shopee_sandbox, shopee_shop):
    assert shopee_sandbox.ctl("POST", f"/shops/{shopee_shop.shop_id}/revoke")["revoked"] >= 2
    answer = _items(shopee_sandbox, shopee_shop)
    assert answer.status_code == 403 and answer.json()["error"] == "error_auth"
    refresh = shopee_sandbox.call("POST", "/api/v2/auth/access_token/get", json_body={
        "refresh_token": shopee_shop.tokens["refresh_token"], "shop_id": shopee_shop.shop_id,
        "partner_id": shopee_sandbox.partner_id})
    assert refresh.json()["error"] == "error_auth"


def test_token_of_one_shop_does_not_open_another(shopee_sandbox, shopee_shop):
    other = shopee_sandbox.ctl("POST", "/shops", {"name": "Other"})
    answer = shopee_sandbox.shop_call("GET", ITEM_LIST, shopee_shop.tokens, other["shop_id"], params=LIST_PARAMS)
    assert answer.status_code == 403 and answer.json()["error"] == "error_auth"


def test_code_expires(shopee_sandbox):
    shopee_sandbox.ctl("PUT", "/config", {"code_ttl": 0.5})
    shop = shopee_sandbox.ctl("POST", "/shops", {"name": "Toko"})
    code = shopee_sandbox.authorise(shop["shop_id"])
    time.sleep(0.7)
    answer = shopee_sandbox.call("POST", "/api/v2/auth/token/get", json_body={
        "code": code, "shop_id": shop["shop_id"], "partner_id": shopee_sandbox.partner_id})
    assert answer.status_code == 403 and answer.json()["error"] == "error_auth"
