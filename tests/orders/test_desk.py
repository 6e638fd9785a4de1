"""Order desk state changes go through ``orders.services``: packing is recorded once, a bad courier changes
nothing, and only a paid order can be packed."""

import pytest
from sqlalchemy import func, select

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


def test_ship_with_an_unknown_courier_changes_nothing(client, db, login, make_shop, snapshot):
    shop = make_shop()
    login(shop.owner)
    before = snapshot()
    page = client.post(f"/seller/{shop.koperasi.slug}/pesanan/{shop.order.number}/kirim",
                       data={"courier": "dhl", "tracking_number": "JNE1234567890"}, follow_redirects=True)
    assert "Pilih kurir." in page.get_data(as_text=True)
    assert snapshot() == before
    order = db.session.get(Order, shop.order.id)
    services.ship(order, "jnt1234567890", shop.owner.id, courier="jnt")
    assert (order.status, order.courier, order.tracking_number) == (OrderStatus.SHIPPED, "jnt", "JNT1234567890")
    assert order.packed_at is not None
