"""A partner order that lost the last unit to a sale here is cancelled on the platform, after commit, through the
adapter's seller-side cancel, over HTTP against the sandbox: the sandbox shows it cancelled for OUT_OF_STOCK with
its unit back, after exactly one cancel call."""

import pytest
from sqlalchemy import select

from marketplace.channels.pull import services
from marketplace.inventory.services import LineRequest, allocate_lines
from marketplace.orders.models import OrderStatus, PartnerFlag, PartnerOrder
from marketplace.outbox.services import dispatch_pending
from tests.channels.pull.conftest import place
from tests.channels.pull.test_pull_sandbox import tasks
from tests.stock_fixtures import bare_order_line

CANCEL_PATH = {"shopee": "/api/v2/order/cancel_order", "tiktok": "/return_refund/202309/cancellations"}


def _lost_the_last_unit(db, pull_shop, platform: str, reference: str):
    """Our last unit sold here first; the partner still showed it and took an order: imported, refused."""
    shop = pull_shop(platform, stock=(1,))
    variant = shop.variants[0]
    local = bare_order_line(variant, 1, reference)
    allocate_lines([LineRequest(variant.id, 1, local.id)], reference=reference)
    db.session.commit()
    order_id = place(shop, {variant.sku: 1})
    tasks.poll_account(shop.account.id)
    refused = db.session.scalar(select(PartnerOrder).where(PartnerOrder.external_id == order_id))
    assert refused.flag == PartnerFlag.OUT_OF_STOCK and refused.order.status == OrderStatus.CANCELLED
    return shop, refused


def _partner_stock(shop) -> int:
    products = shop.sandbox.ctl("GET", f"/shops/{shop.shop_id}/stock")["products"]
    return [m["stock"] for p in products for m in p.get("models") or p.get("skus")][0]


@pytest.mark.parametrize("platform", ["shopee", "tiktok"])
def test_the_partner_order_that_lost_the_last_unit_is_cancelled_on_the_platform(db, pull_shop, platform):
    shop, refused = _lost_the_last_unit(db, pull_shop, platform, f"OP-TERAKHIR-{platform}")
    assert _partner_stock(shop) == 0  # the buyer's order took the partner's last unit
    dispatch_pending()  # after commit: the outbox hands partner_order.rejected to the pull half's task
    order = shop.sandbox.ctl("GET", f"/orders/{refused.external_id}")
    assert (order["status"], order["cancel_reason"]) == ("CANCELLED", "OUT_OF_STOCK")
    assert _partner_stock(shop) == 1
    log = shop.sandbox.requests_log(path=CANCEL_PATH[platform])
    assert log["total"] == 1 and log["requests"][0]["status"] == 200
    dispatch_pending()  # nothing left to hand over: no second cancel
    assert shop.sandbox.requests_log(path=CANCEL_PATH[platform])["total"] == 1


def test_a_platform_refusing_the_cancel_is_reported_not_retried(db, pull_shop):
    shop, refused = _lost_the_last_unit(db, pull_shop, "tiktok", "OP-TERAKHIR-2")
    shop.sandbox.ctl("POST", f"/orders/{refused.external_id}/ship")  # shipped on the platform meanwhile
    outcome = services.cancel_on_partner(refused.order_id)
    assert outcome.startswith("refused: 36009006") and "IN_TRANSIT" in outcome
    assert shop.sandbox.ctl("GET", f"/orders/{refused.external_id}")["status"] == "IN_TRANSIT"
    assert shop.sandbox.requests_log(path=CANCEL_PATH["tiktok"])["total"] == 1


def test_an_order_the_platform_cancelled_first_counts_as_done(db, pull_shop):
    shop, refused = _lost_the_last_unit(db, pull_shop, "shopee", "OP-TERAKHIR-3")
    shop.sandbox.ctl("POST", f"/orders/{refused.external_id}/cancel")  # the buyer cancelled meanwhile
    assert services.cancel_on_partner(refused.order_id) == "already cancelled"
    assert shop.sandbox.requests_log(path=CANCEL_PATH["shopee"])["requests"][0]["status"] == 400
