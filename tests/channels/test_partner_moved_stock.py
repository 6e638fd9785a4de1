"""Drift after the soak (issue 16, point 5): the partner moves its own stock figure (an order there takes units at
once, a cancellation there gives them back), while our pusher remembers only what it sent. Over HTTP against the
sandboxes, in the order the soak met them: once quiet, the partner must show the push rule of our available."""

import pytest
from sqlalchemy import select

from marketplace.channels import push
from marketplace.channels.models import ChannelListing
from marketplace.channels.pull import tasks
from marketplace.channels.reconcile import reconcile_account
from marketplace.extensions import db as _db
from marketplace.inventory.queries import available_by_variant
from marketplace.inventory.services import LineRequest, allocate_lines
from marketplace.orders.models import PartnerFlag, PartnerOrder
from marketplace.outbox.services import dispatch_pending
from tests.stock_fixtures import bare_order_line

PLATFORMS = ["shopee", "tiktok"]


def _partner_order(linked, sku: str, quantity: int = 1) -> str:
    """A buyer on the partner's own site: the sandbox lowers its figure at once."""
    order = linked.sandbox.ctl("POST", f"/shops/{linked.shop_id}/orders",
                               {"lines": [{"sku": sku, "quantity": quantity}], "paid": True})
    return str(order["order_id"])


def _import(linked) -> None:
    """The poller brings the partner's orders in; the outbox worker hands their stock events on."""
    tasks.poll_account(linked.account.id)
    dispatch_pending()
    _db.session.commit()


def _available(linked, sku: str) -> int:
    return available_by_variant([linked.variants[sku].id])[linked.variants[sku].id]


def _quiet_and_checked(linked, sku: str, expected: int) -> None:
    push.push_account(linked.account.id)
    assert not _db.session.scalar(select(ChannelListing).where(
        ChannelListing.account_id == linked.account.id, ChannelListing.partner_sku == sku)).is_dirty
    assert _available(linked, sku) == expected
    assert linked.remote()[sku] == expected  # what a buyer on the partner sees
    assert reconcile_account(linked.account.id).drifted == 0


@pytest.mark.parametrize("platform", PLATFORMS)
def test_an_imported_partner_order_is_pushed_even_when_our_value_returns_to_the_last_pushed(platform, make_linked):
    linked = make_linked(platform, stock=(20, 10, 7))
    push.push_account(linked.account.id)
    assert linked.remote()["KOPI-250"] == 20
    _partner_order(linked, "KOPI-250")  # the partner shows 19
    linked.set_local("KOPI-250", 21)  # a stock take here, not yet pushed
    _import(linked)  # the order takes one of the 21: available 20, the value we pushed last
    _quiet_and_checked(linked, "KOPI-250", 20)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_rejected_partner_order_cancelled_there_is_followed_by_a_push(platform, make_linked):
    linked = make_linked(platform, stock=(1, 10, 7))
    push.push_account(linked.account.id)
    assert linked.remote()["KOPI-250"] == 1
    variant = linked.variants["KOPI-250"]
    line = bare_order_line(variant, 1, f"OP-DRIFT-{platform}")  # our last unit sells here first
    allocate_lines([LineRequest(variant.id, 1, line.id)], reference=f"OP-DRIFT-{platform}")
    _db.session.commit()
    dispatch_pending()
    _db.session.commit()
    external_id = _partner_order(linked, "KOPI-250")  # the partner still showed 1 and sold it
    push.push_account(linked.account.id)  # our 0 lands: the partner shows 0
    assert linked.remote()["KOPI-250"] == 0
    _import(linked)  # refused here, cancelled on the platform (after commit): the platform gives its unit back
    refused = _db.session.scalar(select(PartnerOrder).where(PartnerOrder.external_id == external_id))
    assert refused.flag == PartnerFlag.OUT_OF_STOCK
    assert linked.sandbox.ctl("GET", f"/orders/{external_id}")["status"] == "CANCELLED"
    _quiet_and_checked(linked, "KOPI-250", 0)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_partner_order_imported_while_our_push_is_in_flight_is_not_hidden_by_it(platform, make_linked,
                                                                                   monkeypatch):
    linked = make_linked(platform, stock=(20, 10, 7))
    push.push_account(linked.account.id)
    linked.set_local("KOPI-250", 21)
    send = push._send
    interleaved = []

    def send_then_partner_order(client, batch):
        results = send(client, batch)  # 21 lands on the partner
        if not interleaved:
            interleaved.append(_partner_order(linked, "KOPI-250"))  # the partner shows 20
            _import(linked)  # here: 21 on hand, 1 allocated
            linked.set_local("KOPI-250", 22)  # a stock take: available 21 again, what is in flight
        return results

    monkeypatch.setattr(push, "_send", send_then_partner_order)
    _quiet_and_checked(linked, "KOPI-250", 21)
    assert interleaved
