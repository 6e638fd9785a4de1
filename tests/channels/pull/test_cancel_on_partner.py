"""A partner order that lost the last unit to a sale here is cancelled on the platform, after commit, through the
adapter's seller-side cancel (the sandboxes do not serve that call yet, so the adapter is stood in for here)."""

from sqlalchemy import select

from marketplace.channels.adapters.base import ChannelRejected
from marketplace.channels.pull import services
from marketplace.inventory.services import LineRequest, allocate_lines
from marketplace.orders.models import OrderStatus, PartnerFlag, PartnerOrder
from marketplace.outbox.services import dispatch_pending
from tests.channels.pull.conftest import place
from tests.channels.pull.test_pull_sandbox import tasks
from tests.stock_fixtures import bare_order_line


class CancellingAdapter:
    def __init__(self, refuse: bool = False):
        self.cancelled: list[tuple[str, str]] = []
        self.refuse = refuse

    def cancel_order(self, order_id: str, reason: str = "OUT_OF_STOCK") -> None:
        if self.refuse:
            raise ChannelRejected("order already shipped", code="error_param")
        self.cancelled.append((order_id, reason))


def test_the_partner_order_that_lost_the_last_unit_is_cancelled_on_the_platform(db, pull_shop, monkeypatch):
    shop = pull_shop("shopee", stock=(1,))
    variant = shop.variants[0]
    local = bare_order_line(variant, 1, "OP-TERAKHIR")
    allocate_lines([LineRequest(variant.id, 1, local.id)], reference="OP-TERAKHIR")  # sold here first
    db.session.commit()
    order_id = place(shop, {variant.sku: 1})  # the partner still showed 1
    tasks.poll_account(shop.account.id)
    refused = db.session.scalar(select(PartnerOrder).where(PartnerOrder.external_id == order_id))
    assert refused.flag == PartnerFlag.OUT_OF_STOCK and refused.order.status == OrderStatus.CANCELLED
    adapter = CancellingAdapter()
    monkeypatch.setattr(services, "call_partner", lambda account, call: call(adapter))
    dispatch_pending()  # after commit: the outbox hands partner_order.rejected to the pull half's task
    assert adapter.cancelled == [(order_id, "OUT_OF_STOCK")]


def test_a_platform_refusing_the_cancel_is_reported_not_retried(db, pull_shop, monkeypatch):
    shop = pull_shop("tiktok", stock=(1,))
    variant = shop.variants[0]
    local = bare_order_line(variant, 1, "OP-TERAKHIR-2")
    allocate_lines([LineRequest(variant.id, 1, local.id)], reference="OP-TERAKHIR-2")
    db.session.commit()
    place(shop, {variant.sku: 1})
    tasks.poll_account(shop.account.id)
    refused = db.session.scalar(select(PartnerOrder))
    monkeypatch.setattr(services, "call_partner", lambda account, call: call(CancellingAdapter(refuse=True)))
    assert services.cancel_on_partner(refused.order_id).startswith("refused: order already shipped")
