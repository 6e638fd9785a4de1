"""Read side of the channel pages: listings by match state, counts, the sync log (per listing and per account),
drift reports, and which shops a stock change goes to."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from marketplace.channels.models import (
    AccountStatus,
    ChannelAccount,
    ChannelDriftReport,
    ChannelListing,
    ChannelSyncLog,
    MatchState,
)
from marketplace.channels.rules import target_values
from marketplace.extensions import db

STATES = ("semua", "belum-cocok", "galat", "cocok")


def _filter(query, state: str):
    if state == "belum-cocok":
        return query.where(ChannelListing.match_state == MatchState.UNMATCHED)
    if state == "galat":
        return query.where(ChannelListing.error_code != "")
    if state == "cocok":
        return query.where(ChannelListing.match_state.in_([MatchState.AUTO, MatchState.MANUAL]))
    return query


def listings(account_id: int, state: str = "semua", limit: int = 500) -> list[ChannelListing]:
    query = (select(ChannelListing).where(ChannelListing.account_id == account_id)
             .options(joinedload(ChannelListing.variant), joinedload(ChannelListing.bundle))
             .order_by(ChannelListing.error_code == "", ChannelListing.match_state, ChannelListing.id).limit(limit))
    return list(db.session.scalars(_filter(query, state)))


def listing_counts(account_id: int) -> dict[str, int]:
    return {state: db.session.scalar(_filter(select(func.count(ChannelListing.id))
                                             .where(ChannelListing.account_id == account_id), state))
            for state in STATES}


def sync_log(listing_id: int, limit: int = 50) -> list[ChannelSyncLog]:
    return list(db.session.scalars(select(ChannelSyncLog).where(ChannelSyncLog.listing_id == listing_id)
                                   .order_by(ChannelSyncLog.id.desc()).limit(limit)))


def account_sync_log(account_id: int, limit: int = 100) -> list[ChannelSyncLog]:
    """The account's newest log lines, each with its listing (and that listing's variant or bundle) loaded."""
    return list(db.session.scalars(
        select(ChannelSyncLog).where(ChannelSyncLog.account_id == account_id)
        .options(joinedload(ChannelSyncLog.listing).joinedload(ChannelListing.variant),
                 joinedload(ChannelSyncLog.listing).joinedload(ChannelListing.bundle))
        .order_by(ChannelSyncLog.id.desc()).limit(limit)))


def waiting_count(account_id: int) -> int:
    """Linked listings with a change not yet sent (dirty)."""
    return db.session.scalar(select(func.count(ChannelListing.id)).where(
        ChannelListing.account_id == account_id, ChannelListing.push_requested > ChannelListing.push_done)) or 0


def syncing_accounts(koperasi_id: int) -> list[ChannelAccount]:
    """The koperasi's active shops with at least one linked listing: where a stock change here is sent."""
    linked = select(ChannelListing.id).where(ChannelListing.account_id == ChannelAccount.id,
                                             ChannelListing.match_state.in_([MatchState.AUTO, MatchState.MANUAL]))
    return list(db.session.scalars(select(ChannelAccount).where(
        ChannelAccount.koperasi_id == koperasi_id, ChannelAccount.status == AccountStatus.ACTIVE,
        ChannelAccount.push_enabled.is_(True), linked.exists()).order_by(ChannelAccount.platform, ChannelAccount.id)))


def latest_reports(account_id: int, limit: int = 5) -> list[ChannelDriftReport]:
    return list(db.session.scalars(select(ChannelDriftReport).where(ChannelDriftReport.account_id == account_id)
                                   .order_by(ChannelDriftReport.id.desc()).limit(limit)))


def target_value(listing: ChannelListing) -> int | None:
    """What the listing should show now (None when it is not linked)."""
    if not listing.is_linked:
        return None
    return target_values([listing], listing.account).get(listing.id)
