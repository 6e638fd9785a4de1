"""Push notifications: shape and signature by the documented formulas, retries with backoff, Shopee's lost
pushes, TikTok's duplicates, and the dropped / duplicated / reordered push faults."""

import time

from sandboxes.shopee.platform import Shopee
from sandboxes.tiktok.platform import TikTok
from tests.sandbox_clients import hmac_sha256_hex


def _register(sandbox, receiver):
    sandbox.ctl("PUT", "/push-callback", {"url": receiver.url})


def _order(sandbox, shop, paid=False):
    return sandbox.ctl("POST", f"/shops/{shop.shop_id}/orders", {"lines": [{"sku": "KOPI-250"}], "paid": paid})


def _wait_state(sandbox, state, count=1, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pushes = sandbox.ctl("GET", "/pushes", params={"state": state})["pushes"]
        if len(pushes) >= count:
            return pushes
        time.sleep(0.05)
    raise AssertionError(f"no {count} push(es) in state {state}")


def test_shopee_push_is_signed_over_url_and_body(shopee_sandbox, shopee_shop, push_receiver):
    _register(shopee_sandbox, push_receiver)
    order_id = _order(shopee_sandbox, shopee_shop)["order_id"]
    push = push_receiver.wait_for(1)[0]
    expected = hmac_sha256_hex(shopee_sandbox.partner_key, push_receiver.url.encode() + b"|" + push["raw"])
    assert push["headers"]["Authorization"] == expected
    assert push["json"]["shop_id"] == shopee_shop.shop_id and push["json"]["code"] == 3
    assert push["json"]["data"]["ordersn"] == order_id and push["json"]["data"]["status"] == "UNPAID"
    assert isinstance(push["json"]["timestamp"], int)


def test_every_status_change_is_pushed_in_order(shopee_sandbox, shopee_shop, push_receiver):
    _register(shopee_sandbox, push_receiver)
    order_id = _order(shopee_sandbox, shopee_shop, paid=True)["order_id"]
    shopee_sandbox.ctl("POST", f"/orders/{order_id}/ship")
    statuses = [p["json"]["data"]["status"] for p in push_receiver.wait_for(3)]
    assert statuses == ["UNPAID", "READY_TO_SHIP", "SHIPPED"]


def test_failed_push_is_retried_with_growing_delays(shopee_sandbox, shopee_shop, push_receiver):
    push_receiver.statuses = [500, 503]
    _register(shopee_sandbox, push_receiver)
    _order(shopee_sandbox, shopee_shop)
    attempts = push_receiver.wait_for(3)
    assert [a["status"] for a in attempts] == [500, 503, 200]
    assert attempts[0]["raw"] == attempts[2]["raw"]
    first_gap, second_gap = attempts[1]["at"] - attempts[0]["at"], attempts[2]["at"] - attempts[1]["at"]
    assert first_gap >= 0.18 and second_gap >= 0.38  # base 0.2 s, doubled
    delivered = _wait_state(shopee_sandbox, "delivered")
    assert delivered[0]["attempts"] == 3


def test_push_not_answered_in_time_counts_as_failed(shopee_sandbox, shopee_shop, push_receiver):
    assert shopee_sandbox.ctl("GET", "/config")["push_timeout"] == 3
    shopee_sandbox.ctl("PUT", "/config", {"push_timeout": 0.3})
    push_receiver.delay = 0.6
    _register(shopee_sandbox, push_receiver)
    _order(shopee_sandbox, shopee_shop)
    assert len(push_receiver.wait_for(2)) >= 2
    push_receiver.delay = 0
    assert _wait_state(shopee_sandbox, "delivered")[0]["attempts"] >= 2


def test_shopee_keeps_undelivered_pushes_for_fetching(shopee_sandbox, shopee_shop, push_receiver):
    shopee_sandbox.ctl("PUT", "/config", {"push_max_attempts": 2})
    push_receiver.statuses = [500, 500]
    _register(shopee_sandbox, push_receiver)
    order_id = _order(shopee_sandbox, shopee_shop)["order_id"]
    _wait_state(shopee_sandbox, "lost")
    lost = shopee_sandbox.call("GET", "/api/v2/push/get_lost_push_message").json()["response"]
    message = lost["push_message_list"][0]
    assert message["code"] == 3 and order_id in message["data"] and lost["last_message_id"] > 0
    confirm = shopee_sandbox.call("POST", "/api/v2/push/confirm_consumed_lost_push_message",
                                  json_body={"last_message_id": lost["last_message_id"]})
    assert confirm.json()["error"] == ""
    after = shopee_sandbox.call("GET", "/api/v2/push/get_lost_push_message").json()["response"]
    assert after["push_message_list"] == []


def test_dropped_push_is_never_sent_but_shopee_lists_it_as_lost(shopee_sandbox, shopee_shop, push_receiver):
    _register(shopee_sandbox, push_receiver)
    shopee_sandbox.ctl("PUT", "/faults", {"drop_push_rate": 1.0})
    order_id = _order(shopee_sandbox, shopee_shop)["order_id"]
    time.sleep(0.4)
    assert push_receiver.received == []
    lost = shopee_sandbox.call("GET", "/api/v2/push/get_lost_push_message").json()["response"]
    assert order_id in lost["push_message_list"][0]["data"]


def test_tiktok_webhook_is_signed_over_app_key_and_body(tiktok_sandbox, tiktok_shop, push_receiver):
    _register(tiktok_sandbox, push_receiver)
    order_id = _order(tiktok_sandbox, tiktok_shop)["order_id"]
    push = push_receiver.wait_for(1)[0]
    expected = hmac_sha256_hex(tiktok_sandbox.app_secret, tiktok_sandbox.app_key.encode() + push["raw"])
    assert push["headers"]["Authorization"] == expected
    body = push["json"]
    assert body["type"] == 1 and body["shop_id"] == tiktok_shop.shop_id and body["tts_notification_id"]
    assert body["data"]["order_id"] == order_id and body["data"]["order_status"] == "UNPAID"


def test_tiktok_duplicates_keep_the_notification_id(tiktok_sandbox, tiktok_shop, push_receiver):
    _register(tiktok_sandbox, push_receiver)
    tiktok_sandbox.ctl("PUT", "/faults", {"duplicate_push_rate": 1.0})
    _order(tiktok_sandbox, tiktok_shop)
    first, second = push_receiver.wait_for(2)
    assert first["raw"] == second["raw"]
    assert first["json"]["tts_notification_id"] == second["json"]["tts_notification_id"]
    time.sleep(0.3)
    assert len(push_receiver.received) == 2


def test_defaults_follow_the_platforms():
    """Outside tests (which start the sandboxes without random duplicates) TikTok duplicates now and then."""
    assert TikTok.defaults.duplicate_push_rate > 0 and Shopee.defaults.duplicate_push_rate == 0
    assert TikTok.defaults.rate_limit == 50 and TikTok.defaults.access_token_ttl == 7 * 86400
    assert Shopee.defaults.access_token_ttl == 4 * 3600 and Shopee.defaults.refresh_token_ttl == 30 * 86400
    assert Shopee.defaults.push_timeout == TikTok.defaults.push_timeout == 3


def test_reordered_pushes_arrive_in_swapped_pairs(tiktok_sandbox, tiktok_shop, push_receiver):
    _register(tiktok_sandbox, push_receiver)
    tiktok_sandbox.ctl("PUT", "/faults", {"reorder_pushes": True})
    order_id = _order(tiktok_sandbox, tiktok_shop)["order_id"]
    tiktok_sandbox.ctl("POST", f"/orders/{order_id}/pay")
    statuses = [p["json"]["data"]["order_status"] for p in push_receiver.wait_for(2)]
    assert statuses == ["AWAITING_SHIPMENT", "UNPAID"]
