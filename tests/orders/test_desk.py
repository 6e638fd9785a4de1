"""Order desk state changes go through ``orders.services``: packing is recorded once, a bad courier changes
nothing, and only a paid order can be packed."""

import pytest
from sqlalchemy import func, select

from marketplace.core.errors import ValidationError
from marketplace.orders import services
from marketplace.orders.models import Order, OrderStatus, OrderStatusChange
from tests.seller_fixtures import make_paid_order


def _changes(db, order) -> int:
    return db.session.scalar(select(func.count()).select_from(OrderStatusChange)
                             .where(OrderStatusChange.order_id == order.id))


def test_packing_is_recorded_once_and_only_for_paid_orders(db, make_shop):
    shop = make_shop()
    unpaid = make_paid_order(shop.variant, 1, paid=False)
    with pytest.raises(services.InvalidTransition):
        services.mark_packed(unpaid, shop.owner.id)
    assert unpaid.packed_at is None
    before = _changes(db, shop.order)
    assert services.mark_packed(shop.order, shop.owner.id) is True
    assert services.mark_packed(shop.order, shop.owner.id) is False
    assert shop.order.packed_at is not None and _changes(db, shop.order) == before + 1
    assert shop.order.status == OrderStatus.PACKING  # the buyer still sees "dikemas"


def test_ship_with_an_unknown_courier_changes_nothing(db, make_shop):
    shop = make_shop()
    with pytest.raises(ValidationError) as error:
        services.ship(shop.order, "JNE1234567890", shop.owner.id, courier="dhl")
    assert error.value.field == "courier"
    db.session.rollback()
    order = db.session.get(Order, shop.order.id)
    assert order.status == OrderStatus.PACKING and order.courier == "jne" and order.tracking_number is None
    services.ship(order, "jnt1234567890", shop.owner.id, courier="jnt")
    assert (order.status, order.courier, order.tracking_number) == (OrderStatus.SHIPPED, "jnt", "JNT1234567890")
    assert order.packed_at is not None
