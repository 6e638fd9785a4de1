"""The demo's walk without a browser: `flask channels connect-demo` connects the first koperasi to both seeded
sandboxes through the real authorisation pages; an order placed on the Shopee sandbox arrives as a signed push,
lowers stock here, and the push half sends the new value to TikTok Shop, recorded in the sync log."""

from sqlalchemy import select

from marketplace.channels import push
from marketplace.channels.models import AccountStatus, ChannelAccount, ChannelListing, ChannelSyncLog
from marketplace.channels.pull.demo import DEMO_SHOPS
from marketplace.demo.sandboxes import seed_sandbox
from marketplace.inventory.queries import available_by_variant
from marketplace.orders.models import PartnerOrder
from marketplace.outbox.services import dispatch_pending
from tests.channels.pull.test_pull_sandbox import first_push, replay


def test_connect_demo_then_a_shopee_order_reaches_tiktok(app, db, monkeypatch, make_stocked_product, client,
                                                        shopee_sandbox, tiktok_sandbox, push_receiver):
    monkeypatch.setitem(app.config, "SHOPEE_BASE_URL", shopee_sandbox.base_url)
    monkeypatch.setitem(app.config, "TIKTOK_BASE_URL", tiktok_sandbox.base_url)
    product = make_stocked_product(stock=(8, 5))
    for platform, sandbox in (("shopee", shopee_sandbox), ("tiktok", tiktok_sandbox)):
        seed_sandbox(platform, sandbox.base_url, wait=5, koperasi_id=product.koperasi_id)
    from marketplace.channels.pull.demo import connect_demo

    app_url = f"http://127.0.0.1:{push_receiver.server.server_port}"  # pushes land in the receiver, replayed below
    lines = connect_demo(app_url, wait=5)
    assert [line.split(":")[0] for line in lines] == ["shopee", "tiktok"] and "2 of 2 listings matched" in lines[0]
    accounts = {a.platform: a for a in db.session.scalars(select(ChannelAccount))}
    assert {str(p): a.status for p, a in accounts.items()} == {"shopee": AccountStatus.ACTIVE,
                                                               "tiktok": AccountStatus.ACTIVE}
    assert connect_demo(app_url, wait=5)[0].endswith("already connected")  # a second run changes nothing

    variant = product.variants[0]
    order = shopee_sandbox.ctl("POST", f"/shops/{DEMO_SHOPS['shopee']}/orders",
                               {"lines": [{"sku": variant.sku, "quantity": 3}], "paid": True})
    assert replay(client, first_push(push_receiver)) == 200
    assert db.session.scalar(select(PartnerOrder.external_id)) == order["order_id"]
    assert available_by_variant([variant.id])[variant.id] == 5

    dispatch_pending()  # the outbox hands stock.changed to the push half (a worker does this after commit)
    tiktok = accounts["tiktok"]
    push.push_account(tiktok.id)
    shown = tiktok_sandbox.ctl("GET", f"/shops/{DEMO_SHOPS['tiktok']}/stock")
    skus = {s["seller_sku"]: s["stock"] for p in shown["products"] for s in p["skus"]}
    assert skus[variant.sku] == 5
    listing = db.session.scalar(select(ChannelListing).where(ChannelListing.account_id == tiktok.id,
                                                             ChannelListing.variant_id == variant.id))
    log = db.session.scalars(select(ChannelSyncLog).where(ChannelSyncLog.listing_id == listing.id)
                             .order_by(ChannelSyncLog.id.desc())).first()
    assert (log.value, log.ok) == (5, True)
