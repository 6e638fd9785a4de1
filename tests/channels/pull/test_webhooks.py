"""Partner push endpoints: the documented signatures (Shopee: HMAC(partner key, URL | body); TikTok: HMAC(app
secret, app key + body)), stored once however often delivered, refused when forged, never a 500."""

import hashlib
import hmac
import json

from sqlalchemy import func, select

from marketplace.channels.pull.models import ChannelEvent
from sandboxes import credentials

SHOPEE_URL = "http://localhost/channels/shopee/webhook"


def shopee_push(order_sn="240101ABCDEF", status="READY_TO_SHIP", shop_id=600001) -> bytes:
    return json.dumps({"shop_id": shop_id, "code": 3, "timestamp": 1_700_000_000,
                       "data": {"ordersn": order_sn, "status": status, "update_time": 1_700_000_000}}).encode()


def shopee_sign(raw: bytes, url: str = SHOPEE_URL) -> str:
    return hmac.new(credentials.SHOPEE_PARTNER_KEY.encode(), url.encode() + b"|" + raw, hashlib.sha256).hexdigest()


def tiktok_push(notification_id="7300000000000000001", order_id="576000000000000001") -> bytes:
    return json.dumps({"type": 1, "tts_notification_id": notification_id, "shop_id": "7494000000000600001",
                       "timestamp": 1_700_000_000, "data": {"order_id": order_id, "order_status": "AWAITING_SHIPMENT",
                                                             "update_time": 1_700_000_000}}).encode()


def tiktok_sign(raw: bytes) -> str:
    return hmac.new(credentials.TIKTOK_APP_SECRET.encode(), credentials.TIKTOK_APP_KEY.encode() + raw,
                    hashlib.sha256).hexdigest()


def stored(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ChannelEvent))


def post(client, platform, raw, signature):
    return client.post(f"/channels/{platform}/webhook", data=raw, headers={"Authorization": signature},
                       content_type="application/json")


def test_shopee_push_is_stored_once(client, db):
    raw = shopee_push()
    first = post(client, "shopee", raw, shopee_sign(raw))
    again = post(client, "shopee", raw, shopee_sign(raw))
    assert first.status_code == again.status_code == 200
    assert (first.json["duplicate"], again.json["duplicate"]) == (False, True)
    event = db.session.scalar(select(ChannelEvent))
    assert stored(db) == 1 and event.body.encode() == raw and event.external_order_id == "240101ABCDEF"
    # No shop of ours has this id: kept, processed, nothing imported.
    assert event.processed_at is not None and "no connected shop" in event.outcome


def test_forged_or_altered_pushes_are_refused(client, db):
    raw = shopee_push()
    altered = raw.replace(b"READY_TO_SHIP", b"CANCELLED")
    assert post(client, "shopee", altered, shopee_sign(raw)).status_code == 401
    assert post(client, "shopee", raw, shopee_sign(raw, "http://elsewhere/channels/shopee/webhook")).status_code == 401
    assert post(client, "shopee", raw, "").status_code == 401
    raw_tt = tiktok_push()
    assert post(client, "tiktok", raw_tt, shopee_sign(raw_tt)).status_code == 401
    assert stored(db) == 0


def test_tiktok_duplicates_share_a_notification_id(client, db):
    raw = tiktok_push()
    resent = tiktok_push(order_id="576000000000000001").replace(b'"timestamp": 1700000000', b'"timestamp": 1700000009')
    assert post(client, "tiktok", raw, tiktok_sign(raw)).json["duplicate"] is False
    assert post(client, "tiktok", resent, tiktok_sign(resent)).json["duplicate"] is True
    other = tiktok_push(notification_id="7300000000000000002")
    assert post(client, "tiktok", other, tiktok_sign(other)).json["duplicate"] is False
    assert stored(db) == 2


def test_bad_input_gets_a_clear_answer(client, db):
    assert post(client, "lazada", b"{}", "x").status_code == 404
    garbage = b"not json"
    response = post(client, "tiktok", garbage, tiktok_sign(garbage))
    assert response.status_code == 400 and response.json["error"] == "invalid"
    assert client.get("/channels/shopee/webhook").status_code == 405
    assert stored(db) == 0
