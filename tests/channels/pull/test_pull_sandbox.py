"""The order pull against the running sandboxes over real HTTP: pushes replayed exactly as the sandbox signed
them, the poller finding what pushes missed, and the faults partners throw. After each: nothing oversold, no
order twice, none lost."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from marketplace.channels.pull import tasks
from marketplace.channels.pull.models import ChannelEvent
from marketplace.inventory.queries import available_by_variant, ledger_mismatches
from marketplace.orders.models import OrderStatus, PartnerOrder
from tests.channels.pull.conftest import place

PLATFORMS = ["shopee", "tiktok"]


def partner_orders(db) -> dict[str, PartnerOrder]:
    return {p.external_id: p for p in db.session.scalars(select(PartnerOrder))}


def available(variant) -> int:
    return available_by_variant([variant.id])[variant.id]


def first_push(receiver, status: str | None = None, seconds: float = 15) -> dict:
    """The first push received (of ``status``); a busy machine may make the sandbox send one twice."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for push in receiver.wait_for(1, seconds=1):
            data = push["json"]["data"]
            if status is None or status in (data.get("status"), data.get("order_status")):
                return push
    raise AssertionError(f"no push with status {status}")


def replay(client, push) -> int:
    """Delivers a push captured by the receiver to our endpoint, byte for byte, at the URL it was signed for."""
    url = urlsplit(push["headers"].get("Host") and f"http://{push['headers']['Host']}{push['path']}")
    response = client.post(url.path, data=push["raw"], headers={"Authorization": push["headers"]["Authorization"]},
                           content_type="application/json", base_url=f"{url.scheme}://{url.netloc}")
    return response.status_code


@pytest.fixture
def receiver(push_receiver, shopee_sandbox, tiktok_sandbox):
    port = push_receiver.server.server_port
    for platform, sandbox in (("shopee", shopee_sandbox), ("tiktok", tiktok_sandbox)):
        sandbox.ctl("PUT", "/push-callback", {"url": f"http://127.0.0.1:{port}/channels/{platform}/webhook"})
    return push_receiver


@pytest.mark.parametrize("platform", PLATFORMS)
def test_push_imports_the_order_and_cancellation_gives_stock_back(platform, client, db, pull_shop, receiver):
    shop = pull_shop(platform, stock=(10,))
    variant = shop.variants[0]
    order_id = place(shop, {variant.sku: 3})
    push = first_push(receiver)
    assert replay(client, push) == 200
    assert replay(client, push) == 200  # the platform's retry of the same push
    imported = partner_orders(db)
    assert list(imported) == [order_id]
    assert imported[order_id].order.status == OrderStatus.PACKING and available(variant) == 7
    shop.sandbox.ctl("POST", f"/orders/{order_id}/cancel")
    assert replay(client, first_push(receiver, "CANCELLED")) == 200
    db.session.expire_all()
    assert partner_orders(db)[order_id].order.status == OrderStatus.CANCELLED
    assert available(variant) == 10 and ledger_mismatches() == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_out_of_order_pushes_end_in_the_latest_state(platform, client, db, pull_shop, receiver):
    shop = pull_shop(platform, stock=(10,))
    variant = shop.variants[0]
    order_id = place(shop, {variant.sku: 2})
    shop.sandbox.ctl("POST", f"/orders/{order_id}/ship")
    shipped = "SHIPPED" if platform == "shopee" else "IN_TRANSIT"
    paid = "READY_TO_SHIP" if platform == "shopee" else "AWAITING_SHIPMENT"
    for push in (first_push(receiver, shipped), first_push(receiver, paid)):  # the newer news first
        assert replay(client, push) == 200
    order = partner_orders(db)[order_id].order
    assert order.status == OrderStatus.SHIPPED
    assert available(variant) == 8 and ledger_mismatches() == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_lost_push_is_found_by_the_poller_once(platform, db, pull_shop, shopee_sandbox, tiktok_sandbox):
    shop = pull_shop(platform, stock=(10,))
    shop.sandbox.ctl("PUT", "/faults", {"drop_push_rate": 1.0})
    variant = shop.variants[0]
    ids = [place(shop, {variant.sku: 1}) for _ in range(3)]
    tasks.poll_account(shop.account.id)
    tasks.poll_account(shop.account.id)  # the overlap re-reads them: nothing doubles
    assert sorted(partner_orders(db)) == sorted(ids)
    assert available(variant) == 7 and ledger_mismatches() == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_poller_survives_5xx_429_and_timeouts(platform, db, pull_shop, app, monkeypatch):
    shop = pull_shop(platform, stock=(30,))
    variant = shop.variants[0]
    ids = [place(shop, {variant.sku: 1}) for _ in range(6)]
    monkeypatch.setitem(app.config, "CHANNEL_PUSH_ATTEMPTS", 12)
    monkeypatch.setitem(app.config, "CHANNEL_HTTP_TIMEOUT", 0.5)
    shop.sandbox.ctl("PUT", "/faults", {"error_rate": 0.3, "rate_limit_burst": 3, "timeout_rate": 0.1,
                                        "timeout_seconds": 1})
    tasks.poll_account(shop.account.id)
    shop.sandbox.ctl("PUT", "/faults", {"error_rate": 0, "timeout_rate": 0})
    assert sorted(partner_orders(db)) == sorted(ids)
    assert available(variant) == 24 and ledger_mismatches() == []


def test_the_same_order_by_push_and_by_poll_is_one_order(client, db, pull_shop, receiver):
    shop = pull_shop("shopee", stock=(10,))
    variant = shop.variants[0]
    order_id = place(shop, {variant.sku: 4})
    push = first_push(receiver)
    tasks.poll_account(shop.account.id)
    assert replay(client, push) == 200
    tasks.poll_account(shop.account.id)
    assert list(partner_orders(db)) == [order_id] and available(variant) == 6
    assert db.session.scalar(select(func.count()).select_from(ChannelEvent)) == 1


def test_unknown_sku_on_the_partner_is_kept_and_flagged(db, pull_shop):
    shop = pull_shop("tiktok", stock=(5,))
    shop.sandbox.ctl("POST", f"/shops/{shop.shop_id}/products",
                     {"name": "Sarung Tenun", "sku": "SARUNG-TIDAK-ADA", "price": 150000, "stock": 4})
    order_id = place(shop, {"SARUNG-TIDAK-ADA": 1, shop.variants[0].sku: 1})
    tasks.poll_account(shop.account.id)
    imported = partner_orders(db)[order_id]
    assert imported.flag == "unknown_sku" and imported.unmatched[0]["sku"] == "SARUNG-TIDAK-ADA"
    assert available(shop.variants[0]) == 4


def test_an_order_we_cannot_read_does_not_hold_back_the_others(app, db, pull_shop, monkeypatch):
    from marketplace.channels.models import ChannelAccount
    from marketplace.channels.pull.importer import STATUS_MAP

    shop = pull_shop("shopee", stock=(10,))
    sku = shop.variants[0].sku
    unpaid = place(shop, {sku: 1}, paid=False)
    paid = place(shop, {sku: 2})
    watermark = shop.account.order_watermark
    with monkeypatch.context() as patch:
        patch.delitem(STATUS_MAP["shopee"], "READY_TO_SHIP")  # as if the platform invented a new state word
        tasks.poll_account(shop.account.id)
    assert list(partner_orders(db)) == [unpaid]
    assert db.session.get(ChannelAccount, shop.account.id).order_watermark > watermark
    parked = db.session.scalar(select(ChannelEvent).where(ChannelEvent.external_order_id == paid))
    assert parked.processed_at is None and "READY_TO_SHIP" in parked.outcome
    monkeypatch.setitem(app.config, "CHANNEL_PULL_EVENT_GRACE_SECONDS", 0)
    tasks.sweep()  # the state word is known again (a deploy): the sweep imports it
    assert sorted(partner_orders(db)) == sorted([unpaid, paid]) and available(shop.variants[0]) == 7


@pytest.mark.parametrize("platform", PLATFORMS)
def test_after_reconnecting_the_orders_missed_meanwhile_arrive_once(platform, client, db, pull_shop, receiver):
    from datetime import timedelta

    from marketplace.channels import services as channels
    from marketplace.channels.adapters.base import Tokens
    from marketplace.channels.expiry import mark_account_expired
    from marketplace.core.timeutil import utcnow

    shop = pull_shop(platform, stock=(10,))
    sku = shop.variants[0].sku
    before = place(shop, {sku: 1})
    tasks.poll_account(shop.account.id)
    shop.sandbox.ctl("POST", f"/shops/{shop.shop_id}/revoke")
    mark_account_expired(shop.account, "revoked")
    db.session.commit()
    missed = [place(shop, {sku: 2}) for _ in range(2)]
    for push in receiver.wait_for(3)[1:]:
        assert replay(client, push) == 200  # stored, not imported while the shop is disconnected
    tasks.poll_account(shop.account.id)
    assert list(partner_orders(db)) == [before]
    answer = shop.sandbox.connect(int(shop.shop_id) if platform == "shopee" else shop.shop_id)  # reconnecting
    now = utcnow()
    tokens = Tokens(access_token=answer["access_token"], refresh_token=answer["refresh_token"],
                    access_expires_at=now + timedelta(hours=3), refresh_expires_at=now + timedelta(days=20),
                    shop_id=shop.shop_id, shop_cipher=answer.get("cipher", ""))
    channels.link_account(shop.account.koperasi, platform, tokens)
    db.session.commit()
    tasks.poll_account(shop.account.id)
    tasks.poll_account(shop.account.id)
    assert sorted(partner_orders(db)) == sorted([before, *missed])
    assert available(shop.variants[0]) == 5 and ledger_mismatches() == []
