"""Reconcile: read what the partner really shows, compare it with what it should show, push the difference and
keep a drift report. Catches everything a push cannot see: a seller editing stock in the partner's seller centre,
a push the partner acknowledged but lost, a listing deleted there.

Only listings that were settled (nothing waiting to be pushed) before the read count: a value still on its way is
not drift. Work at the edge: commits around the partner calls, like the push."""

from sqlalchemy import select

from marketplace.channels.adapters.base import ChannelError, ListingRef
from marketplace.channels.client import AccountUnavailable, account_client
from marketplace.channels.models import (
    AccountStatus,
    ChannelAccount,
    ChannelDriftReport,
    ChannelListing,
    ChannelSyncLog,
    SyncKind,
)
from marketplace.channels.push import push_account, request_push
from marketplace.channels.rules import target_values
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


def reconcile_account(account_id: int) -> ChannelDriftReport | None:
    account = db.session.get(ChannelAccount, account_id)
    if account is None or account.status != AccountStatus.ACTIVE:
        return None
    report = ChannelDriftReport(account_id=account_id, started_at=utcnow())
    db.session.add(report)
    settled = {listing.id: listing.push_requested for listing in db.session.scalars(
        select(ChannelListing).where(ChannelListing.account_id == account_id,
                                     ChannelListing.push_requested == ChannelListing.push_done))
        if listing.is_linked and listing.push_enabled and account.push_enabled}
    db.session.commit()
    try:
        remote = {listing.ref: listing.stock for listing in
                  account_client(account).call(lambda adapter: list(adapter.list_listings()))}
    except (ChannelError, AccountUnavailable) as error:
        report = db.session.get(ChannelDriftReport, report.id)
        report.error, report.finished_at = error.message[:500], utcnow()
        db.session.commit()
        return report
    listings = [listing for listing in db.session.scalars(
        select(ChannelListing).where(ChannelListing.id.in_(settled)).execution_options(populate_existing=True))
        if listing.push_requested == settled[listing.id]]
    account = db.session.get(ChannelAccount, account_id)
    expected = target_values(listings, account)
    drifted = []
    now = utcnow()
    for listing in listings:
        shown = remote.get(ListingRef(listing.item_id, listing.model_id))
        report.checked += 1
        if shown is None:
            report.missing += 1
            listing.remote_missing, listing.error_code, listing.error_at = True, "missing", now
            listing.error_message = "listing not found on the partner"
            continue
        listing.remote_stock = shown
        if shown != expected[listing.id]:
            drifted.append(listing)
            db.session.add(ChannelSyncLog(account_id=account_id, listing_id=listing.id, kind=SyncKind.RECONCILE,
                                          value=shown, expected=expected[listing.id], ok=False, code="drift",
                                          created_at=now))
    report.drifted = len(drifted)
    request_push([listing.id for listing in drifted], forget_last=True)
    account.last_reconcile_at = now
    db.session.commit()
    if drifted:
        push_account(account_id)
        fixed = db.session.scalars(select(ChannelListing).where(
            ChannelListing.id.in_([listing.id for listing in drifted])).execution_options(populate_existing=True))
        report = db.session.get(ChannelDriftReport, report.id)
        report.fixed = sum(1 for listing in fixed if not listing.error_code and listing.last_pushed_value is not None)
    report.finished_at = utcnow()
    db.session.commit()
    return report


def latest_reports(account_id: int, limit: int = 10) -> list[ChannelDriftReport]:
    return list(db.session.scalars(select(ChannelDriftReport).where(ChannelDriftReport.account_id == account_id)
                                   .order_by(ChannelDriftReport.id.desc()).limit(limit)))
