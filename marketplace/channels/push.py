"""The stock push for one account: drain its dirty listings, newest value first, within the partner's limits.

Only the holder of the account's "push" lease pushes, so two workers never race on one listing and a newer value
is never overwritten by an older one arriving late: values are computed when sent, from current availability,
and the lease is re-checked before every call (its term is longer than a call's timeout). Many local changes
between two pushes become one call (``push_requested`` counts changes, ``push_done`` records the last one the
pusher saw). A listing the partner refuses is recorded with the reason and does not hold up the others.

Work at the edge (called by the task): it commits after claiming the lease and after each batch, so no
transaction stays open while a partner is called.
"""

import logging
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select, update

from marketplace.channels import leases
from marketplace.channels.adapters.base import (
    ChannelAuthRevoked,
    ChannelError,
    StockResult,
    StockUpdate,
)
from marketplace.channels.client import AccountUnavailable, account_client
from marketplace.channels.models import (
    AccountStatus,
    ChannelAccount,
    ChannelListing,
    ChannelSyncLog,
    MatchState,
    SyncKind,
)
from marketplace.channels.rules import target_values
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db

log = logging.getLogger(__name__)
PAGE = 1000


class LeaseLost(ChannelError):
    """Another worker took the account over (ours ran out): stop before sending anything more."""


@dataclass
class PushSummary:
    pushed: int = 0
    unchanged: int = 0
    failed: int = 0
    calls: int = 0
    busy: bool = False
    errors: list[str] = field(default_factory=list)


def dirty_account_ids() -> list[int]:
    return list(db.session.scalars(
        select(ChannelListing.account_id).join(ChannelAccount)
        .where(ChannelListing.push_requested > ChannelListing.push_done, ChannelAccount.status == AccountStatus.ACTIVE)
        .distinct()))


def _has_dirty(account_id: int, exclude: set[int]) -> bool:
    query = select(ChannelListing.id).where(ChannelListing.account_id == account_id,
                                            ChannelListing.push_requested > ChannelListing.push_done)
    if exclude:
        query = query.where(ChannelListing.id.not_in(exclude))
    return db.session.scalar(query.limit(1)) is not None


def push_account(account_id: int) -> PushSummary:
    """Pushes every dirty listing of the account; returns at once (``busy``) if another worker holds the push."""
    summary = PushSummary()
    seconds = current_app.config["CHANNEL_LEASE_SECONDS"]
    holder = leases.new_holder()
    held_back: set[int] = set()  # failed in this run: left dirty for the next sweep, not retried in a loop
    while True:
        claimed = leases.claim(account_id, "push", holder, seconds)
        db.session.commit()
        if not claimed:
            summary.busy = True
            return summary
        try:
            _drain(account_id, holder, summary, held_back)
        finally:
            db.session.rollback()
            leases.release(account_id, "push", holder)
            db.session.commit()
        # A change that arrived while we held the lease found it taken and left its listing to us.
        account = db.session.get(ChannelAccount, account_id)
        if account is None or account.status != AccountStatus.ACTIVE or not _has_dirty(account_id, held_back):
            return summary


def _mark_done(listings: list[ChannelListing], seen: dict[int, int]) -> None:
    for listing in listings:
        if seen[listing.id] > listing.push_done:
            listing.push_done = seen[listing.id]


def _drain(account_id: int, holder: str, summary: PushSummary, held_back: set[int]) -> None:
    seconds = current_app.config["CHANNEL_LEASE_SECONDS"]

    def guard() -> None:
        alive = leases.claim(account_id, "push", holder, seconds)
        db.session.commit()
        if not alive:
            raise LeaseLost("push lease lost", code="lease_lost")

    account = db.session.get(ChannelAccount, account_id)
    if account is None or account.status != AccountStatus.ACTIVE:
        return
    client = account_client(account, guard=guard)
    try:
        while True:
            query = (select(ChannelListing).where(ChannelListing.account_id == account_id,
                                                  ChannelListing.push_requested > ChannelListing.push_done)
                     .order_by(ChannelListing.id).limit(PAGE).execution_options(populate_existing=True))
            if held_back:
                query = query.where(ChannelListing.id.not_in(held_back))
            listings = list(db.session.scalars(query))
            if not listings:
                return
            seen = {listing.id: listing.push_requested for listing in listings}
            account = db.session.get(ChannelAccount, account_id)
            active = [listing for listing in listings if account.push_enabled and listing.push_enabled
                      and listing.is_linked and not listing.remote_missing]
            _mark_done([listing for listing in listings if listing not in active], seen)
            values = target_values(active, account)
            to_send = [listing for listing in active if listing.last_pushed_value != values[listing.id]
                       or listing.error_code]
            unchanged = [listing for listing in active if listing not in to_send]
            _mark_done(unchanged, seen)
            summary.unchanged += len(unchanged)
            db.session.commit()
            for batch in _batches(client, to_send):
                _push_batch(client, account_id, batch, values, seen, summary, held_back)
    except (AccountUnavailable, ChannelAuthRevoked, LeaseLost) as error:
        summary.errors.append(error.message)
    finally:
        summary.calls += client.calls


def _batches(client, listings: list[ChannelListing]) -> list[list[ChannelListing]]:
    adapter = client.adapter()
    groups: dict[str, list[ChannelListing]] = {}
    for listing in listings:
        groups.setdefault(adapter.batch_key(_update(listing, 0).ref), []).append(listing)
    size = adapter.max_stock_batch
    return [group[i:i + size] for group in groups.values() for i in range(0, len(group), size)]


def _update(listing: ChannelListing, quantity: int) -> StockUpdate:
    return StockUpdate(item_id=listing.item_id, model_id=listing.model_id, quantity=quantity)


def _push_batch(client, account_id: int, batch: list[ChannelListing], values: dict[int, int], seen: dict[int, int],
                summary: PushSummary, held_back: set[int]) -> None:
    updates = [_update(listing, values[listing.id]) for listing in batch]
    try:
        results = client.call(lambda adapter: adapter.update_stock(updates))
    except (AccountUnavailable, ChannelAuthRevoked, LeaseLost):
        raise
    except ChannelError as error:  # retries exhausted or refused as a whole: recorded, left dirty for later
        results = [StockResult(u.ref, False, error.code or type(error).__name__, error.message) for u in updates]
        held_back.update(listing.id for listing in batch)
    now = utcnow()
    for listing, update_, result in zip(batch, updates, results, strict=True):
        db.session.add(ChannelSyncLog(account_id=account_id, listing_id=listing.id, kind=SyncKind.PUSH,
                                      value=update_.quantity, ok=result.ok, code=result.code[:64],
                                      message=result.message[:500], created_at=now))
        if result.ok:
            listing.last_pushed_value, listing.last_pushed_at = update_.quantity, now
            listing.error_code, listing.error_message, listing.error_at = "", "", None
            summary.pushed += 1
        else:
            listing.error_code, listing.error_message, listing.error_at = (result.code or "failed")[:64], \
                result.message[:500], now
            listing.remote_missing = listing.remote_missing or result.missing
            summary.failed += 1
        if result.ok or result.missing:
            _mark_done([listing], seen)
        else:
            held_back.add(listing.id)
    db.session.execute(update(ChannelAccount).where(ChannelAccount.id == account_id).values(last_push_at=now))
    db.session.commit()


def request_push(listing_ids: list[int] | None = None, *, account_id: int | None = None,
                 forget_last: bool = False) -> None:
    """Marks listings (or all linked listings of an account) dirty; ``forget_last`` sends even an unchanged value
    (after a reconnect the partner may show anything). Flushes; the caller commits and enqueues."""
    query = update(ChannelListing).values(push_requested=ChannelListing.push_requested + 1)
    if forget_last:
        query = query.values(last_pushed_value=None)
    if listing_ids is not None:
        query = query.where(ChannelListing.id.in_(listing_ids))
    if account_id is not None:
        query = query.where(ChannelListing.account_id == account_id,
                            ChannelListing.match_state.in_([MatchState.AUTO, MatchState.MANUAL]))
    db.session.execute(query.execution_options(synchronize_session=False))
