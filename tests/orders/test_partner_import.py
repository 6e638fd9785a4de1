"""Importing partner orders: exactly once, stock through the same ledger, status mirrored forward only, unknown
SKUs kept and flagged, the last unit refused to a partner order that came second."""

from sqlalchemy import func, select

from marketplace.inventory.models import MovementReason, Stock, StockMovement
from marketplace.inventory.queries import available_by_variant, ledger_mismatches
from marketplace.orders import partner
from marketplace.orders.models import Order, OrderStatus, PartnerFlag, PartnerOrder
from marketplace.outbox.models import OutboxEvent
from tests.stock_fixtures import bare_order_line


def order_data(variant, *, external_id="240101ABCDEF", status=OrderStatus.PACKING, partner_status="READY_TO_SHIP",
               updated_at=1_700_000_000, quantity=2, extra_lines=(), platform="shopee"):
    lines = [partner.PartnerLine(sku=variant.sku, quantity=quantity, unit_price=variant.price, name="Madu",
                                 variant_id=variant.id, weight_grams=variant.weight_grams), *extra_lines]
    return partner.PartnerOrderData(platform=platform, external_id=external_id, koperasi_id=variant.koperasi_id,
                                    status=status, partner_status=partner_status, updated_at=updated_at, lines=lines,
                                    buyer_name="Budi", address={"city": "Surabaya"}, shipping_cost=9000)


def available(variant) -> int:
    return available_by_variant([variant.id])[variant.id]


def test_import_allocates_once_however_often_delivered(db, make_stocked_product):
    variant = make_stocked_product(stock=(10,)).variants[0]
    first = partner.import_partner_order(order_data(variant))
    again = partner.import_partner_order(order_data(variant))
    assert first.created and not again.created and not again.changed
    assert again.order.id == first.order.id
    assert db.session.scalar(select(func.count()).select_from(PartnerOrder)) == 1
    assert available(variant) == 8
    order = first.order
    assert order.channel == "shopee" and order.number == "SP-240101ABCDEF"
    assert order.status == OrderStatus.PACKING and order.total == 2 * variant.price + 9000
    movements = db.session.scalars(select(StockMovement).where(StockMovement.variant_id == variant.id,
                                                               StockMovement.reason == MovementReason.PARTNER_ORDER))
    assert [(m.allocated_delta, m.reference) for m in movements] == [(2, "240101ABCDEF")]
    assert ledger_mismatches() == []
    topics = [e.payload for e in db.session.scalars(select(OutboxEvent).where(OutboxEvent.topic == "stock.changed"))]
    assert {"variant_id": variant.id, "product_id": variant.product_id} in topics


def test_same_number_on_two_platforms_is_two_orders(db, make_stocked_product):
    variant = make_stocked_product(stock=(10,)).variants[0]
    partner.import_partner_order(order_data(variant, external_id="777"))
    partner.import_partner_order(order_data(variant, external_id="777", platform="tiktok"))
    assert available(variant) == 6


def test_cancellation_releases_stock_and_late_news_changes_nothing(db, make_stocked_product):
    variant = make_stocked_product(stock=(5,)).variants[0]
    partner.import_partner_order(order_data(variant, updated_at=100))
    cancelled = partner.import_partner_order(order_data(variant, status=OrderStatus.CANCELLED,
                                                        partner_status="CANCELLED", updated_at=200))
    assert cancelled.changed and cancelled.order.status == OrderStatus.CANCELLED
    assert available(variant) == 5
    late = partner.import_partner_order(order_data(variant, status=OrderStatus.SHIPPED, partner_status="SHIPPED",
                                                   updated_at=150))
    assert not late.changed and late.order.status == OrderStatus.CANCELLED
    twice = partner.import_partner_order(order_data(variant, status=OrderStatus.CANCELLED,
                                                    partner_status="CANCELLED", updated_at=200))
    assert not twice.changed and available(variant) == 5
    assert ledger_mismatches() == []


def test_out_of_order_status_moves_forward_only(db, make_stocked_product):
    variant = make_stocked_product(stock=(5,)).variants[0]
    partner.import_partner_order(order_data(variant, status=OrderStatus.COMPLETED, partner_status="COMPLETED",
                                            updated_at=300))
    stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant.id))
    assert (stock.quantity, stock.quantity_allocated) == (3, 0)  # shipped: the units left the warehouse
    older = partner.import_partner_order(order_data(variant, status=OrderStatus.PACKING, updated_at=300))
    assert older.order.status == OrderStatus.COMPLETED and not older.changed
    assert [c.to_status for c in older.order.history] == [OrderStatus.UNPAID, OrderStatus.PACKING,
                                                         OrderStatus.SHIPPED, OrderStatus.COMPLETED]
    assert ledger_mismatches() == []


def test_unpaid_order_holds_stock_until_paid_or_cancelled(db, make_stocked_product):
    variant = make_stocked_product(stock=(3,)).variants[0]
    result = partner.import_partner_order(order_data(variant, status=OrderStatus.UNPAID, partner_status="UNPAID"))
    assert result.order.status == OrderStatus.UNPAID and result.order.payment_due_at is None
    assert available(variant) == 1
    paid = partner.import_partner_order(order_data(variant, updated_at=1_700_000_100))
    assert paid.order.status == OrderStatus.PACKING and paid.order.paid_at is not None


def test_unknown_sku_is_kept_and_flagged(db, make_stocked_product):
    variant = make_stocked_product(stock=(5,)).variants[0]
    stranger = partner.PartnerLine(sku="TIDAK-ADA-1", quantity=1, unit_price=15000, name="Sarung")
    result = partner.import_partner_order(order_data(variant, extra_lines=[stranger]))
    order = result.order
    assert order.partner.flag == PartnerFlag.UNKNOWN_SKU
    assert order.partner.unmatched == [{"sku": "TIDAK-ADA-1", "name": "Sarung", "quantity": 1}]
    assert [line.sku for line in order.lines] == [variant.sku]
    assert order.subtotal == 2 * variant.price + 15000
    assert available(variant) == 3
    assert partner.partner_orders_needing_attention(variant.koperasi_id) == [order]


def test_order_of_only_unknown_skus_is_still_kept(db, make_stocked_product):
    variant = make_stocked_product(stock=(5,)).variants[0]
    data = order_data(variant)
    data = partner.PartnerOrderData(**{**data.__dict__, "lines": [partner.PartnerLine("X-1", 1, 1000)]})
    order = partner.import_partner_order(data).order
    assert order.lines == [] and order.partner.flag == PartnerFlag.UNKNOWN_SKU
    assert db.session.get(Order, order.id) is not None


def test_last_unit_sold_here_first_cancels_the_partner_order(db, make_stocked_product):
    variant = make_stocked_product(stock=(1,)).variants[0]
    from marketplace.inventory.services import LineRequest, allocate_lines

    local = bare_order_line(variant, 1, "OP-LOCAL-2")
    allocate_lines([LineRequest(variant.id, 1, local.id)], reference="OP-LOCAL-2")
    result = partner.import_partner_order(order_data(variant, quantity=1))
    order = result.order
    assert order.status == OrderStatus.CANCELLED and order.partner.flag == PartnerFlag.OUT_OF_STOCK
    assert available(variant) == 0
    rejected = db.session.scalars(select(OutboxEvent).where(OutboxEvent.topic == "partner_order.rejected")).all()
    assert [e.payload["external_id"] for e in rejected] == ["240101ABCDEF"]
    # Later news about the refused order moves nothing.
    later = partner.import_partner_order(order_data(variant, quantity=1, status=OrderStatus.SHIPPED,
                                                    updated_at=1_800_000_000))
    assert later.order.status == OrderStatus.CANCELLED and available(variant) == 0
    assert ledger_mismatches() == []


def test_bad_partner_data_changes_nothing(db, make_stocked_product):
    import pytest

    from marketplace.core.errors import ValidationError

    variant = make_stocked_product(stock=(5,)).variants[0]
    with pytest.raises(ValidationError):
        partner.import_partner_order(order_data(variant, quantity=0))
    with pytest.raises(ValidationError):
        partner.import_partner_order(order_data(variant, external_id=""))
    assert db.session.scalar(select(func.count()).select_from(PartnerOrder)) == 0
