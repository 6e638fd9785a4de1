"""TikTok Shop: signing over path, sorted query and body; the timestamp window; app key; tokens."""

import time

SHOPS = "/authorization/202309/shops"
SEARCH = "/product/202309/products/search"


def _search(sandbox, shop, **kwargs):
    return sandbox.shop_call("POST", SEARCH, shop.tokens, params={"page_size": "10"}, json_body={}, **kwargs)


def test_correct_signature_is_accepted(tiktok_sandbox, tiktok_shop):
    answer = _search(tiktok_sandbox, tiktok_shop)
    assert answer.status_code == 200
    body = answer.json()
    assert body["code"] == 0 and body["request_id"]
    assert [p["id"] for p in body["data"]["products"]] == [p["product_id"] for p in tiktok_shop.products]


def test_one_changed_character_in_the_sign_is_refused(tiktok_sandbox, tiktok_shop):
    timestamp = int(time.time())
    query = {"app_key": tiktok_sandbox.app_key, "timestamp": str(timestamp), "page_size": "10",
             "shop_cipher": tiktok_shop.tokens["cipher"]}
    good = tiktok_sandbox.sign(SEARCH, query, "{}")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    answer = _search(tiktok_sandbox, tiktok_shop, timestamp=timestamp, sign=bad)
    assert answer.status_code == 401 and answer.json()["code"] == 106001
    assert _search(tiktok_sandbox, tiktok_shop, timestamp=timestamp, sign=good).status_code == 200


def test_body_is_part_of_the_signature(tiktok_sandbox, tiktok_shop):
    timestamp = int(time.time())
    query = {"app_key": tiktok_sandbox.app_key, "timestamp": str(timestamp), "page_size": "10",
             "shop_cipher": tiktok_shop.tokens["cipher"]}
    signed_for_other_body = tiktok_sandbox.sign(SEARCH, query, '{"status": "ACTIVATE"}')
    answer = _search(tiktok_sandbox, tiktok_shop, timestamp=timestamp, sign=signed_for_other_body)
    assert answer.json()["code"] == 106001


def test_timestamp_window_is_five_minutes_back_and_thirty_seconds_ahead(tiktok_sandbox, tiktok_shop):
    now = int(time.time())
    old = _search(tiktok_sandbox, tiktok_shop, timestamp=now - 360)
    assert old.status_code == 401 and old.json()["code"] != 0 and old.json()["data"] is None
    assert _search(tiktok_sandbox, tiktok_shop, timestamp=now - 240).status_code == 200
    assert _search(tiktok_sandbox, tiktok_shop, timestamp=now + 90).status_code == 401


def test_wrong_app_key_and_missing_parameter_are_refused(tiktok_sandbox, tiktok_shop):
    wrong = _search(tiktok_sandbox, tiktok_shop, app_key="someone-else")
    assert wrong.status_code == 401 and wrong.json()["code"] != 0
    missing = tiktok_sandbox.http.post(tiktok_sandbox.base_url + SEARCH, params={"app_key": tiktok_sandbox.app_key},
                                       timeout=5)
    assert missing.status_code == 400 and missing.json()["code"] != 0


def test_missing_token_and_foreign_cipher_are_refused(tiktok_sandbox, tiktok_shop):
    no_token = tiktok_sandbox.call("POST", SEARCH, params={"page_size": "10"}, json_body={},
                                   cipher=tiktok_shop.tokens["cipher"])
    assert no_token.status_code == 401
    other = tiktok_sandbox.ctl("POST", "/shops", {"name": "Other"})
    foreign = tiktok_sandbox.call("POST", SEARCH, params={"page_size": "10"}, json_body={}, cipher=other["cipher"],
                                  access_token=tiktok_shop.tokens["access_token"])
    assert foreign.status_code == 401 and foreign.json()["code"] != 0


def test_auth_code_is_single_use_and_expiries_are_absolute(tiktok_sandbox):
    shop = tiktok_sandbox.ctl("POST", "/shops", {"name": "Toko"})
    code = tiktok_sandbox.authorise(shop["shop_id"])
    first = tiktok_sandbox.token("authorized_code", auth_code=code).json()
    assert first["code"] == 0
    assert abs(first["data"]["access_token_expire_in"] - (time.time() + 7 * 86400)) < 60
    assert first["data"]["refresh_token_expire_in"] > first["data"]["access_token_expire_in"]
    again = tiktok_sandbox.token("authorized_code", auth_code=code)
    assert again.json()["code"] != 0 and again.status_code == 401


def test_wrong_app_secret_cannot_get_tokens(tiktok_sandbox):
    shop = tiktok_sandbox.ctl("POST", "/shops", {"name": "Toko"})
    code = tiktok_sandbox.authorise(shop["shop_id"])
    answer = tiktok_sandbox.token("authorized_code", auth_code=code, app_secret="guess")
    assert answer.status_code == 401 and answer.json()["code"] != 0


def test_expired_access_token_answers_105002_and_refresh_revives(tiktok_sandbox):
    tiktok_sandbox.ctl("PUT", "/config", {"access_token_ttl": 1})
    shop = tiktok_sandbox.ctl("POST", "/shops", {"name": "Toko"})
    tokens = tiktok_sandbox.connect(shop["shop_id"])
    time.sleep(1.2)
    expired = tiktok_sandbox.shop_call("POST", SEARCH, tokens, params={"page_size": "10"}, json_body={})
    assert expired.status_code == 401 and expired.json()["code"] == 105002
    tiktok_sandbox.ctl("PUT", "/config", {"access_token_ttl": 3600})
    renewed = tiktok_sandbox.token("refresh_token", refresh_token=tokens["refresh_token"]).json()["data"]
    assert renewed["access_token"] != tokens["access_token"]
    assert tiktok_sandbox.shop_call("POST", SEARCH, tokens | renewed, params={"page_size": "10"},
                                    json_body={}).status_code == 200


def test_revocation_stops_the_shop(tiktok_sandbox, tiktok_shop):
    tiktok_sandbox.ctl("POST", f"/shops/{tiktok_shop.shop_id}/revoke")
    assert _search(tiktok_sandbox, tiktok_shop).json()["code"] == 105001
    refresh = tiktok_sandbox.token("refresh_token", refresh_token=tiktok_shop.tokens["refresh_token"])
    assert refresh.json()["code"] != 0


def test_authorised_shops_give_the_cipher(tiktok_sandbox, tiktok_shop):
    shops = tiktok_sandbox.call("GET", SHOPS, access_token=tiktok_shop.tokens["access_token"]).json()["data"]
    assert shops["shops"][0]["id"] == tiktok_shop.shop_id
    assert shops["shops"][0]["cipher"] == tiktok_shop.tokens["cipher"]


def test_auth_code_expires(tiktok_sandbox):
    tiktok_sandbox.ctl("PUT", "/config", {"code_ttl": 0.5})
    shop = tiktok_sandbox.ctl("POST", "/shops", {"name": "Toko"})
    code = tiktok_sandbox.authorise(shop["shop_id"])
    time.sleep(0.7)
    answer = tiktok_sandbox.token("authorized_code", auth_code=code)
    assert answer.status_code == 401 and answer.json()["code"] != 0
