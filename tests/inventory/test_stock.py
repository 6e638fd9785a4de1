"""Stock services on SQLite and PostgreSQL: holds, allocation, the ledger, availability reads, outbox events."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.errors import ValidationError
from marketplace.core.timeutil import utcnow
from marketplace.inventory import services as inventory
from marketplace.inventory.errors import InsufficientStock, StockBelowAllocated
from marketplace.inventory.models import MovementReason, Reservation, Stock, StockMovement
from marketplace.inventory.queries import available_by_product, available_by_variant, ledger_mismatches
from marketplace.outbox.models import OutboxEvent
from tests.stock_fixtures import bare_order_line, warehouse_of


def _req(variant, quantity, line=None):
    return inventory.LineRequest(variant.id, quantity, line)


def test_reservation_holds_stock_from_other_checkouts_until_it_expires(db, make_stocked_product):
    variant = make_stocked_product(stock=(5,)).variants[0]
    inventory.reserve_stock("checkout-a", [_req(variant, 3)])
    assert available_by_variant([variant.id]) == {variant.id: 2}
    assert available_by_variant([variant.id], exclude_token="checkout-a") == {variant.id: 5}
    with pytest.raises(InsufficientStock) as error:
        inventory.reserve_stock("checkout-b", [_req(variant, 3)])
    assert "stok tidak cukup" in error.value.message and "tersedia 2" in error.value.message
    inventory.reserve_stock("checkout-a", [_req(variant, 4)])  # the same checkout may change its own hold
    assert available_by_variant([variant.id])[variant.id] == 1

    later = utcnow() + timedelta(minutes=16)
    inventory.reserve_stock("checkout-b", [_req(variant, 5)], now=later)  # A's hold expired (15 min)
    assert inventory.purge_expired_reservations(now=later) == 1
    assert db.session.scalar(select(func.count()).select_from(Reservation)
                             .where(Reservation.checkout_token == "checkout-a")) == 0


def test_one_error_lists_every_short_line_and_changes_nothing(db, make_stocked_product):
    product = make_stocked_product(stock=(2, 1, 9), prices=(10000, 12000, 15000))
    a, b, c = product.variants
    with pytest.raises(InsufficientStock) as error:
        inventory.allocate_lines([_req(a, 3), _req(b, 2), _req(c, 1)], reference="X")
    assert [(s.variant_id, s.requested, s.available) for s in error.value.shortages] == [(a.id, 3, 2), (b.id, 2, 1)]
    assert "Varian 1" in error.value.message and "Varian 2" in error.value.message
    assert db.session.scalar(select(func.sum(Stock.quantity_allocated))) == 0


def test_allocation_fulfilment_and_cancel_are_explained_by_the_ledger(db, make_stocked_product):
    variant = make_stocked_product(stock=(10,)).variants[0]
    first, second = bare_order_line(variant, 4, "OP1"), bare_order_line(variant, 3, "OP2")
    inventory.allocate_lines([_req(variant, 4, first.id)], reference="OP1")
    inventory.allocate_lines([_req(variant, 3, second.id)], reference="OP2")
    stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant.id))
    assert (stock.quantity, stock.quantity_allocated) == (10, 7)
    assert available_by_variant([variant.id])[variant.id] == 3
    with pytest.raises(StockBelowAllocated):
        inventory.set_stock(variant, stock.warehouse, 6)
    inventory.adjust_stock(variant, stock.warehouse, -3, note="rusak")
    assert available_by_variant([variant.id])[variant.id] == 0
    assert inventory.fulfil_lines([first.id], reference="OP1") == 4
    assert inventory.deallocate_lines([second.id], reference="OP2") == 3
    assert inventory.deallocate_lines([second.id], reference="OP2") == 0  # twice is harmless
    assert (stock.quantity, stock.quantity_allocated) == (3, 0)
    assert available_by_variant([variant.id])[variant.id] == 3
    reasons = db.session.scalars(select(StockMovement.reason).where(StockMovement.variant_id == variant.id)
                                 .order_by(StockMovement.id)).all()
    assert reasons == [MovementReason.INITIAL, MovementReason.SALE, MovementReason.SALE, MovementReason.ADJUSTMENT,
                       MovementReason.FULFILMENT, MovementReason.CANCEL]
    assert ledger_mismatches() == []


def test_availability_sums_warehouses_and_skips_inactive_ones(db, make_stocked_product):
    product = make_stocked_product(stock=(4, 6))
    second = inventory.create_warehouse(product.koperasi, "Toko di kota")
    inventory.set_stock(product.variants[0], second, 5)
    assert available_by_product([product.id, 999999]) == {product.id: 15, 999999: 0}
    second.is_active = False
    db.session.flush()
    assert available_by_product([product.id])[product.id] == 10
    product.variants[1].is_active = False
    db.session.flush()
    assert available_by_variant([v.id for v in product.variants]) == {product.variants[0].id: 4,
                                                                       product.variants[1].id: 0}


def test_every_stock_change_records_an_outbox_event(db, make_stocked_product):
    product = make_stocked_product(stock=(3,))
    variant = product.variants[0]
    events = db.session.scalars(select(OutboxEvent).where(OutboxEvent.topic == "stock.changed")).all()
    assert [e.payload for e in events][-1] == {"variant_id": variant.id, "product_id": product.id}
    before = len(events)
    inventory.reserve_stock("t", [_req(variant, 1)])
    inventory.reserve_stock("t", [_req(variant, 1)])  # same hold again: availability unchanged, no event
    inventory.allocate_lines([_req(variant, 1, bare_order_line(variant, 1, "OPX").id)], token="t")
    count = db.session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.topic == "stock.changed"))
    assert count == before + 2


def test_stock_cannot_be_set_negative_or_in_another_koperasis_warehouse(db, make_stocked_product):
    mine, theirs = make_stocked_product(), make_stocked_product()
    with pytest.raises(ValidationError, match="negatif"):
        inventory.set_stock(mine.variants[0], warehouse_of(mine.koperasi), -1)
    with pytest.raises(ValidationError, match="bukan milik"):
        inventory.set_stock(mine.variants[0], warehouse_of(theirs.koperasi), 5)


def test_periodic_tasks_purge_expired_holds_and_expire_unpaid_orders(app, db, make_stocked_product):
    from marketplace.orders.models import Order, OrderStatus

    variant = make_stocked_product(stock=(4,)).variants[0]
    inventory.reserve_stock("gone", [_req(variant, 2)], now=utcnow() - timedelta(minutes=30))
    line = bare_order_line(variant, 2, "OP-LATE")
    inventory.allocate_lines([_req(variant, 2, line.id)], reference="OP-LATE")
    order = db.session.get(Order, line.order_id)
    order.payment_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    tasks = app.extensions["celery"].tasks
    assert tasks["inventory.purge_reservations"].apply().get() == 1
    assert tasks["orders.expire_unpaid"].apply().get() == 1
    assert tasks["orders.expire_unpaid"].apply().get() == 0  # safe to run twice
    db.session.refresh(order)
    assert order.status == OrderStatus.CANCELLED and available_by_variant([variant.id])[variant.id] == 4
