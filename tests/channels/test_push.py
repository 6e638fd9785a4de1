"""The stock push against the sandboxes over HTTP: what a koperasi sees on Shopee and TikTok Shop after changing
stock here, under its rules, with partner faults, expired and revoked tokens and deleted items."""

import time

import pytest
from sqlalchemy import select

from marketplace.channels import push, services
from marketplace.channels.models import AccountStatus, ChannelListing, MatchState, ShareKind
from marketplace.channels.reconcile import reconcile_account
from marketplace.extensions import db as _db
from marketplace.outbox.models import OutboxEvent

PLATFORMS = ["shopee", "tiktok"]


def _listing(linked, sku: str) -> ChannelListing:
    return _db.session.scalar(select(ChannelListing).where(ChannelListing.account_id == linked.account.id,
                                                           ChannelListing.partner_sku == sku))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_connect_matches_by_sku_and_pushes_current_stock(platform, make_linked):
    linked = make_linked(platform, stock=(20, 10, 7))
    assert linked.account.status == AccountStatus.ACTIVE
    assert _listing(linked, "KOPI-250").match_state == MatchState.AUTO
    assert _listing(linked, "LAIN-1").match_state == MatchState.UNMATCHED  # listed as unmatched, not pushed
    summary = push.push_account(linked.account.id)
    assert summary.failed == 0
    assert linked.remote() == {"KOPI-250": 20, "KOPI-500": 10, "MADU-1": 7, "LAIN-1": 5}
    # the tokens are stored encrypted, not readable in the row
    assert linked.account.credentials and "access_token" not in linked.account.credentials


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_burst_of_changes_is_coalesced_to_the_latest_value(platform, make_linked):
    linked = make_linked(platform)
    push.push_account(linked.account.id)
    since = linked.sandbox.requests_log()["requests"][-1]["id"]
    for quantity in range(12, 0, -1):
        linked.set_local("KOPI-250", quantity)
        linked.set_local("MADU-1", quantity + 1)
    push.push_account(linked.account.id)
    assert linked.remote()["KOPI-250"] == 1 and linked.remote()["MADU-1"] == 2
    assert linked.stock_calls(since) <= 2  # 24 changes, one call per partner item
    assert not _listing(linked, "KOPI-250").is_dirty


@pytest.mark.parametrize("platform", PLATFORMS)
def test_rules_reserve_share_and_switches(platform, make_linked):
    linked = make_linked(platform, stock=(20, 10, 7))
    services.update_account_rule(linked.account, push_enabled=True, reserve=2, share_kind="percent", share_value=50)
    coffee = _listing(linked, "KOPI-500")
    services.update_listing_rule(coffee, push_enabled=True, override=True, reserve=0, share_kind=ShareKind.FIXED,
                                 share_value=4)
    services.update_listing_rule(_listing(linked, "MADU-1"), push_enabled=False, override=False)
    _db.session.commit()
    push.push_account(linked.account.id)
    assert linked.remote() == {"KOPI-250": 9, "KOPI-500": 4, "MADU-1": 99, "LAIN-1": 5}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_rejected_rule_changes_nothing(platform, make_linked):
    from marketplace.core.errors import ValidationError

    linked = make_linked(platform)
    with pytest.raises(ValidationError):
        services.update_account_rule(linked.account, push_enabled=True, reserve=-1, share_kind="all", share_value=0)
    with pytest.raises(ValidationError):
        services.update_account_rule(linked.account, push_enabled=True, reserve=0, share_kind="percent",
                                     share_value=150)
    _db.session.rollback()
    assert linked.account.reserve == 0 and linked.account.share_kind == ShareKind.ALL


def test_expired_certificate_is_pushed_as_zero_and_bundle_follows_its_scarcest_part(make_linked):
    from datetime import date, timedelta

    from marketplace.catalog.models import CertificationKind
    from marketplace.catalog.services import set_certification

    linked = make_linked("tiktok", stock=(20, 10, 7))
    bundle = services.create_bundle(linked.koperasi.id, "PAKET-1", "Paket Kopi + Madu",
                                    [(linked.variants["KOPI-250"].id, 2), (linked.variants["MADU-1"].id, 1)])
    services.match_listing(_listing(linked, "LAIN-1"), bundle_id=bundle.id)
    _db.session.commit()
    push.push_account(linked.account.id)
    assert linked.remote()["LAIN-1"] == 7  # min(20 // 2, 7 // 1)
    linked.set_local("KOPI-250", 5)
    push.push_account(linked.account.id)
    assert linked.remote()["LAIN-1"] == 2  # coffee is now the scarcest: 5 // 2
    honey = linked.variants["MADU-1"].product
    set_certification(honey, CertificationKind.HALAL, "ID00000000000001", date.today() - timedelta(days=1))
    _db.session.commit()
    from marketplace.outbox.services import dispatch_pending

    dispatch_pending()
    _db.session.commit()
    push.push_account(linked.account.id)
    shown = linked.remote()
    assert shown["MADU-1"] == 0 and shown["LAIN-1"] == 0 and shown["KOPI-250"] == 5


@pytest.mark.parametrize("platform", PLATFORMS)
def test_429_storms_and_5xx_are_survived_with_the_right_final_value(platform, make_linked):
    linked = make_linked(platform)
    linked.sandbox.ctl("PUT", "/faults", {"rate_limit_burst": 4, "error_rate": 0.4})
    for quantity in (15, 12, 9):
        linked.set_local("KOPI-250", quantity)
        linked.set_local("KOPI-500", quantity - 1)
        push.push_account(linked.account.id)
    linked.sandbox.ctl("PUT", "/faults", {"error_rate": 0.0})
    push.push_account(linked.account.id)  # anything held back by exhausted retries goes now
    assert linked.remote()["KOPI-250"] == 9 and linked.remote()["KOPI-500"] == 8


@pytest.mark.parametrize("platform", PLATFORMS)
def test_an_expired_access_token_is_refreshed_once(platform, make_linked):
    linked = make_linked(platform)
    linked.sandbox.ctl("PUT", "/config", {"access_token_ttl": 1})
    account = linked.account
    from marketplace.channels.client import account_client

    old = account_client(account).tokens_of(account).access_token
    services.retry_listing(_listing(linked, "MADU-1"))
    _db.session.commit()
    # a token issued with a 1 s life, which we still believe valid for hours
    account_client(account).refresh(stale_token=old)
    time.sleep(1.2)
    linked.set_local("MADU-1", 3)
    summary = push.push_account(account.id)
    assert summary.failed == 0 and linked.remote()["MADU-1"] == 3
    _db.session.refresh(account)
    assert account.status == AccountStatus.ACTIVE
    assert account_client(account).tokens_of(account).access_token != old


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_revoked_shop_is_marked_visible_and_mailed_then_replays_after_reconnect(platform, make_linked, client,
                                                                                    app):
    from tests.channels.conftest import connect_shop
    from tests.stock_fixtures import sign_in

    linked = make_linked(platform)
    push.push_account(linked.account.id)
    linked.sandbox.ctl("POST", f"/shops/{linked.shop_id}/revoke")
    linked.set_local("KOPI-250", 4)
    summary = push.push_account(linked.account.id)  # no crash
    assert summary.pushed == 0
    _db.session.refresh(linked.account)
    assert linked.account.status == AccountStatus.EXPIRED
    mails = _db.session.scalars(select(OutboxEvent).where(OutboxEvent.topic == "mail.requested")).all()
    assert any(linked.owner.email in m.payload["to"] and linked.account.shop_name in m.payload["subject"]
               for m in mails)
    sign_in(client, linked.owner)
    page = client.get(f"/seller/{linked.koperasi.slug}/kanal/")
    assert page.status_code == 200 and "Hubungkan ulang" in page.text
    # reconnect: everything is pushed again, including what changed while it was expired
    linked.sandbox.ctl("POST", f"/shops/{linked.shop_id}/products", {"name": "x", "sku": "X-1", "price": 1,
                                                                     "stock": 1})
    connect_shop(app, linked.sandbox, platform, linked.koperasi, linked.owner.id)
    _db.session.commit()
    push.push_account(linked.account.id)
    assert linked.remote()["KOPI-250"] == 4 and linked.remote()["MADU-1"] == 7


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_deleted_item_is_a_listing_error_while_the_others_push(platform, make_linked):
    linked = make_linked(platform)
    gone = ChannelListing(account_id=linked.account.id, item_id="8999999", model_id="0" if platform == "shopee"
                          else "1", partner_sku="KOPI-250", variant_id=linked.variants["KOPI-250"].id,
                          match_state=MatchState.MANUAL, push_requested=1)
    _db.session.add(gone)
    _db.session.commit()
    linked.set_local("KOPI-500", 6)
    summary = push.push_account(linked.account.id)
    assert linked.remote()["KOPI-500"] == 6 and summary.failed == 1
    _db.session.refresh(gone)
    assert gone.error_code and gone.remote_missing and not gone.is_dirty


@pytest.mark.parametrize("platform", PLATFORMS)
def test_reconcile_finds_and_fixes_drift(platform, make_linked):
    from marketplace.channels.adapters.base import StockUpdate
    from marketplace.channels.client import account_client

    linked = make_linked(platform, stock=(20, 10, 7))
    push.push_account(linked.account.id)
    honey = _listing(linked, "MADU-1")
    # someone edits the stock in the partner's seller centre
    account_client(linked.account).call(lambda a: a.update_stock([StockUpdate(honey.item_id, honey.model_id, 50)]))
    report = reconcile_account(linked.account.id)
    assert (report.checked, report.drifted, report.fixed) == (3, 1, 1)
    assert linked.remote()["MADU-1"] == 7
    assert reconcile_account(linked.account.id).drifted == 0
