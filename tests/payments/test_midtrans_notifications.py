"""What the Midtrans-shaped gateway says, applied to our payments (no network: the gateway's words are built and
signed here as the sandbox signs them). Each (transaction, status) takes effect once; a forged or mismatched word
changes nothing; a settlement of a charge the buyer switched away from is never lost nor counted twice; an expiry
cancels the orders only past their own deadline."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.timeutil import utcnow
from marketplace.inventory.queries import available_by_variant
from marketplace.orders.models import OrderStatus
from marketplace.outbox.models import OutboxEvent
from marketplace.payments import midtrans, midtrans_events
from marketplace.payments.gateway import InvalidSignature
from marketplace.payments.models import PaymentEvent, PaymentStatus
from tests.payments import midtrans_fixtures
from tests.payments.midtrans_fixtures import KEY, note

cart = midtrans_fixtures.cart  # the fixture, shared with the other Midtrans tests


def _events():
    from marketplace.extensions import db

    return db.session.scalar(select(func.count()).select_from(PaymentEvent))


def test_settlement_pays_once_and_a_replay_changes_nothing(cart, db):
    payment, order = cart["payment"], cart["order"]
    assert midtrans_events.handle_notification(note(cart["qris"], "settlement")) == "paid"
    assert (payment.status, order.status, cart["qris"].outcome) == (PaymentStatus.SUCCEEDED, OrderStatus.PACKING,
                                                                    "paid")
    before = _events()
    assert midtrans_events.handle_notification(note(cart["qris"], "settlement")) == "duplicate"
    assert _events() == before and len(order.history) == 2
    assert available_by_variant([cart["variant"].id])[cart["variant"].id] == 3  # stock stays allocated


@pytest.mark.parametrize("forge", ["wrong_key", "edited_amount", "missing"])
def test_a_forged_notification_is_refused_and_changes_nothing(cart, db, forge):
    body = note(cart["qris"], "settlement", key="SB-Mid-server-guess" if forge == "wrong_key" else KEY)
    if forge == "edited_amount":
        body["gross_amount"] = "1.00"
    if forge == "missing":
        del body["signature_key"]
    with pytest.raises(InvalidSignature):
        midtrans_events.handle_notification(body)
    assert (cart["payment"].status, cart["order"].status, _events()) == (PaymentStatus.PENDING, OrderStatus.UNPAID, 0)


def test_a_signed_settlement_for_another_amount_pays_nothing(cart, db):
    with pytest.raises(midtrans_events.AmountMismatch):
        midtrans_events.handle_notification(note(cart["qris"], "settlement", amount=cart["qris"].amount - 1000))
    assert (cart["payment"].status, cart["order"].status, _events()) == (PaymentStatus.PENDING, OrderStatus.UNPAID, 0)
    # the right word afterwards still counts: nothing was stored under its id
    assert midtrans_events.handle_notification(note(cart["qris"], "settlement")) == "paid"


def test_the_va_switched_away_from_still_pays_the_cart_and_the_newer_charge_is_cancelled(cart, db):
    payment = cart["payment"]
    assert midtrans_events.handle_notification(note(cart["va"], "settlement")) == "paid"
    assert (payment.status, payment.method, payment.details["charge"]) == (PaymentStatus.SUCCEEDED, "va_bca",
                                                                           cart["va"].order_ref)
    stale = db.session.scalars(select(OutboxEvent).where(OutboxEvent.topic == midtrans_events.STALE_TOPIC)).all()
    assert [e.payload["payment_id"] for e in stale] == [payment.id]
    assert midtrans_events.charges_to_cancel(payment.id) == [cart["qris"].id]


def test_a_second_settlement_is_a_surplus_that_goes_back_not_a_second_payment(cart, db):
    payment = cart["payment"]
    midtrans_events.handle_notification(note(cart["qris"], "settlement"))
    assert midtrans_events.handle_notification(note(cart["va"], "settlement")) == "surplus"
    assert (cart["va"].outcome, cart["va"].refund_status) == ("surplus", "pending")
    assert payment.method == "qris" and cart["order"].status == OrderStatus.PACKING
    surplus = db.session.scalars(select(OutboxEvent).where(OutboxEvent.topic == midtrans_events.SURPLUS_TOPIC)).all()
    assert [e.payload["charge_id"] for e in surplus] == [cart["va"].id]
    assert midtrans_events.refund_surplus(cart["va"].id) == "manual"  # a VA's money goes back by bank transfer
    assert midtrans_events.surplus_waiting_for_staff() == [cart["va"]]


def test_expiry_before_the_deadline_lets_the_buyer_choose_again(cart, db):
    payment, order = cart["payment"], cart["order"]
    assert midtrans_events.handle_notification(note(cart["qris"], "expire")) == "choose_again"
    assert (payment.method, payment.details["closed"], order.status) == (None, "expire", OrderStatus.UNPAID)


def test_expiry_past_the_deadline_cancels_the_orders_and_releases_stock(cart, db):
    order = cart["order"]
    order.payment_due_at = utcnow() - timedelta(seconds=1)
    assert midtrans_events.handle_notification(note(cart["qris"], "expire")) == "orders_cancelled"
    assert order.status == OrderStatus.CANCELLED
    assert available_by_variant([cart["variant"].id])[cart["variant"].id] == 5


def test_the_expiry_of_a_charge_left_behind_changes_nothing(cart, db):
    assert midtrans_events.handle_notification(note(cart["va"], "cancel")) == "noted"
    assert (cart["payment"].method, cart["order"].status) == ("qris", OrderStatus.UNPAID)


def test_unknown_order_ids_are_acknowledged_without_effect(cart, db):
    body = note(cart["qris"], "settlement")
    body["order_id"] = "opop-elsewhere-1"
    body["signature_key"] = midtrans.signature("opop-elsewhere-1", "200", body["gross_amount"], KEY)
    assert midtrans_events.handle_notification(body) == "unknown"
    assert cart["payment"].status == PaymentStatus.PENDING


def test_finance_staff_list_and_close_a_va_surplus_from_the_command_line(cart, db, app):
    midtrans_events.handle_notification(note(cart["qris"], "settlement"))
    midtrans_events.handle_notification(note(cart["va"], "settlement"))
    midtrans_events.refund_surplus(cart["va"].id)
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["payments", "midtrans-surplus"])
    assert cart["va"].order_ref in listed.output and "va_bca" in listed.output
    done = runner.invoke(args=["payments", "midtrans-surplus", "--done", cart["va"].order_ref])
    assert "refunded" in done.output and cart["va"].refund_status == "refunded"
    assert midtrans_events.surplus_waiting_for_staff() == []
