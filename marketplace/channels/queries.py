"""Read side of the channel pages: listings by match state, counts, the sync log, drift reports."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from marketplace.channels.models import ChannelDriftReport, ChannelListing, ChannelSyncLog, MatchState
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


def latest_reports(account_id: int, limit: int = 5) -> list[ChannelDriftReport]:
    return list(db.session.scalars(select(ChannelDriftReport).where(ChannelDriftReport.account_id == account_id)
                                   .order_by(ChannelDriftReport.id.desc()).limit(limit)))


def target_value(listing: ChannelListing) -> int | None:
    """What the listing should show now (None when it is not linked)."""
    if not listing.is_linked:
        return None
    return target_values([listing], listing.account).get(listing.id)
