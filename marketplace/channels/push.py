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
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import bindparam, case, insert, select, update

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
PAGE = 5000


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


@dataclass(frozen=True)
class Pending:
    """A dirty listing as read under the lease: plain values, so that the commits between calls (which expire
    ORM objects) cost no reloads."""

    id: int
    item_id: str
    model_id: str
    seen: int  # push_requested when read: push_done is set to this once its value is out
    value: int

    @property
    def update(self) -> StockUpdate:
        return StockUpdate(item_id=self.item_id, model_id=self.model_id, quantity=self.value)


def _set_done(done: dict[int, int]) -> None:
    if done:
        db.session.execute(update(ChannelListing), [{"id": i, "push_done": seen} for i, seen in done.items()])


def _read_page(account_id: int, held_back: set[int], summary: PushSummary) -> list[Pending] | None:
    """The next dirty listings with the values they should show now; the others of the page marked done."""
    table = ChannelListing.__table__
    query = (select(table).where(table.c.account_id == account_id, table.c.push_requested > table.c.push_done)
             .order_by(table.c.id).limit(PAGE))
    if held_back:
        query = query.where(table.c.id.not_in(held_back))
    listings = db.session.execute(query).all()  # rows, not entities: nothing to expire or reload later
    if not listings:
        return None
    account = db.session.get(ChannelAccount, account_id)
    linked = (MatchState.AUTO, MatchState.MANUAL)
    active = [listing for listing in listings if account.push_enabled and listing.push_enabled
              and listing.match_state in linked and (listing.variant_id or listing.bundle_id)
              and not listing.remote_missing]
    values = target_values(active, account)
    pending = [Pending(listing.id, listing.item_id, listing.model_id, listing.push_requested, values[listing.id])
               for listing in active if listing.last_pushed_value != values[listing.id] or listing.error_code]
    sending = {p.id for p in pending}
    skipped = {listing.id: listing.push_requested for listing in listings if listing.id not in sending}
    summary.unchanged += sum(1 for listing in active if listing.id not in sending)
    _set_done(skipped)
    db.session.commit()
    return pending


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
    parallel = current_app.config["CHANNEL_PUSH_PARALLEL"]
    try:
        while (pending := _read_page(account_id, held_back, summary)) is not None:
            batches = _batches(client, pending)
            if parallel <= 1 or len(batches) == 1:
                for batch in batches:
                    _record(account_id, batch, _send(client, batch), summary, held_back)
            else:
                _send_parallel(account_id, guard, batches, parallel, summary, held_back)
    except (AccountUnavailable, ChannelAuthRevoked, LeaseLost) as error:
        summary.errors.append(error.message)
    finally:
        summary.calls += client.calls


def _send_parallel(account_id: int, guard, batches: list[list["Pending"]], parallel: int, summary: PushSummary,
                   held_back: set[int]) -> None:
    """Several batches of one page in flight at once (each a different set of listings, all sent before the next
    page is read), so the partner's answer time does not add to the spacing the budget imposes. Each thread has
    its own app context, session and client; results are recorded here, in order of arrival."""
    app = current_app._get_current_object()

    def work(batch):
        with app.app_context():
            try:
                thread_client = account_client(db.session.get(ChannelAccount, account_id), guard=guard)
                return _send(thread_client, batch), thread_client.calls
            finally:
                db.session.remove()

    stop: ChannelError | None = None
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        futures = {pool.submit(work, batch): batch for batch in batches}
        for future in as_completed(futures):
            try:
                results, calls = future.result()
            except (AccountUnavailable, ChannelAuthRevoked, LeaseLost) as error:
                stop = stop or error
                for other in futures:
                    other.cancel()
                continue
            summary.calls += calls
            _record(account_id, futures[future], results, summary, held_back)
    if stop is not None:
        raise stop


def _batches(client, pending: list[Pending]) -> list[list[Pending]]:
    adapter = client.adapter()
    groups: dict[str, list[Pending]] = {}
    for item in pending:
        groups.setdefault(adapter.batch_key(item.update.ref), []).append(item)
    size = adapter.max_stock_batch
    return [group[i:i + size] for group in groups.values() for i in range(0, len(group), size)]


def _send(client, batch: list[Pending]) -> list[StockResult]:
    updates = [item.update for item in batch]
    try:
        return client.call(lambda adapter: adapter.update_stock(updates))
    except (AccountUnavailable, ChannelAuthRevoked, LeaseLost):
        raise
    except ChannelError as error:  # retries exhausted or refused as a whole: recorded, left dirty for later
        return [StockResult(u.ref, False, error.code or type(error).__name__, error.message) for u in updates]


def _record(account_id: int, batch: list[Pending], results: list[StockResult], summary: PushSummary,
            held_back: set[int]) -> None:
    now = utcnow()
    logs, changes, pushed = [], [], []
    for item, result in zip(batch, results, strict=True):
        logs.append({"account_id": account_id, "listing_id": item.id, "kind": SyncKind.PUSH, "value": item.value,
                     "expected": None, "ok": result.ok, "code": result.code[:64], "message": result.message[:500],
                     "created_at": now})
        if result.ok:
            pushed.append({"b_id": item.id, "b_seen": item.seen, "b_value": item.value, "b_at": now})
            summary.pushed += 1
            continue
        change = {"id": item.id, "error_code": (result.code or "failed")[:64],
                  "error_message": result.message[:500], "error_at": now}
        if result.missing:
            change["remote_missing"] = True
            change["push_done"] = item.seen
        else:
            held_back.add(item.id)
        changes.append(change)
        summary.failed += 1
    db.session.execute(insert(ChannelSyncLog), logs)
    if pushed:
        db.session.execute(_PUSHED, pushed)
    for keys in {tuple(sorted(c)) for c in changes}:  # one executemany per shape of change
        db.session.execute(update(ChannelListing), [c for c in changes if tuple(sorted(c)) == keys])
    db.session.execute(update(ChannelAccount).where(ChannelAccount.id == account_id).values(last_push_at=now))
    db.session.commit()


# A value that went out is remembered as what the partner shows only if nothing was asked of the listing while
# it was in flight: a request meanwhile may come from the partner moving its own figure (an order or a cancel
# there, ``events.partner_moved_stock``), after which our record says nothing about the partner. Then the next
# round sends whatever the value is, even one equal to this.
_table = ChannelListing.__table__
_PUSHED = (update(_table).where(_table.c.id == bindparam("b_id"))
           .values(last_pushed_value=case((_table.c.push_requested == bindparam("b_seen"), bindparam("b_value")),
                                          else_=None),
                   last_pushed_at=bindparam("b_at"), push_done=bindparam("b_seen"), error_code="", error_message="",
                   error_at=None))


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
