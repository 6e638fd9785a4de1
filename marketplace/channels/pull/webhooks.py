"""Receiving a partner push: verify the platform's signature over the raw body, store the raw event once (a push
delivered twice is stored once), and let a worker fetch the order. Nothing slow happens before the answer: the
platforms retry pushes not answered within a few seconds (TikTok: 3 s)."""

import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.channels import adapters
from marketplace.channels.models import ChannelAccount
from marketplace.channels.pull.models import ChannelEvent
from marketplace.core.errors import DomainError, NotFound, ValidationError
from marketplace.extensions import db

ORDER_EVENT_KINDS = {"shopee": "3", "tiktok": "1"}  # Shopee push code 3, TikTok type 1: order status changed


class BadSignature(DomainError):
    code = "bad_signature"


def receive_push(platform: str, raw_body: bytes, headers: dict, url: str) -> tuple[ChannelEvent, bool]:
    """Returns the stored event and whether it is new. Raises ``NotFound`` for a platform we do not speak,
    ``BadSignature`` for a forged or altered push and ``ValidationError`` for a body that is not a push."""
    if platform not in adapters.ADAPTERS:
        raise NotFound(_("Platform tidak dikenal."))
    if not adapters.adapter_for(platform).verify_webhook(url, raw_body, headers):
        raise BadSignature(_("Tanda tangan push tidak sah."))
    try:
        body = json.loads(raw_body)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict | str):
        raise ValidationError(_("Isi push tidak dikenali."))
    data = body["data"] if isinstance(body["data"], dict) else _json_object(body["data"])
    kind = str(body.get("code") if platform == "shopee" else body.get("type") or "")
    order_id = str(data.get("ordersn") or data.get("order_id") or "")[:64]
    shop_id = str(body.get("shop_id") or "")[:64]
    if platform == "tiktok" and body.get("tts_notification_id"):
        key = str(body["tts_notification_id"])[:128]
    else:
        key = hashlib.sha256(raw_body).hexdigest()
    account_id = db.session.scalar(select(ChannelAccount.id).where(ChannelAccount.platform == platform,
                                                                   ChannelAccount.shop_id == shop_id))
    event = ChannelEvent(platform=platform, dedupe_key=key, account_id=account_id, shop_id=shop_id, kind=kind,
                         external_order_id=order_id, body=raw_body.decode("utf-8", "replace"))
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except IntegrityError:
        existing = db.session.scalar(select(ChannelEvent).where(ChannelEvent.platform == platform,
                                                                ChannelEvent.dedupe_key == key))
        if existing is None:
            raise
        return existing, False
    return event, True


def _json_object(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def is_order_event(event: ChannelEvent) -> bool:
    return event.kind == ORDER_EVENT_KINDS.get(event.platform) and bool(event.external_order_id)
