"""The order pull: stored pushes processed by workers, and a poller per account that reads every order updated
since its watermark (minus an overlap) so that a push the platform lost, or one we never answered, still arrives.
Both paths end in the same idempotent import, so an order seen by both is imported once."""

import calendar
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from marketplace.channels import adapters
from marketplace.channels.adapters.base import ChannelError, ChannelRejected
from marketplace.channels.events import partner_moved_stock
from marketplace.channels.models import AccountStatus, ChannelAccount
from marketplace.channels.pull.importer import call_partner, fetch_orders, import_remote
from marketplace.channels.pull.models import ChannelEvent
from marketplace.channels.pull.webhooks import ORDER_EVENT_KINDS, is_order_event
from marketplace.core.errors import DomainError
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.orders.models import PartnerOrder

log = logging.getLogger(__name__)


def _unix(moment: datetime) -> int:
    return calendar.timegm(moment.utctimetuple())


def _active(account: ChannelAccount | None) -> bool:
    return account is not None and account.status == AccountStatus.ACTIVE


def process_event(event_id: int) -> str:
    """Fetches the order a push names and imports it. Safe twice: a processed event is skipped, and the import is
    idempotent anyway. Partner errors propagate (the task retries; the sweep catches what is left)."""
    event = db.session.get(ChannelEvent, event_id)
    if event is None or event.processed_at is not None:
        return "done"
    event.attempts += 1
    if event.account_id is None:  # the shop was connected after the push arrived
        event.account_id = db.session.scalar(select(ChannelAccount.id).where(
            ChannelAccount.platform == event.platform, ChannelAccount.shop_id == event.shop_id))
    account = db.session.get(ChannelAccount, event.account_id) if event.account_id else None
    if not is_order_event(event):
        return _finish(event, "ignored: not an order status push")
    if account is None:
        return _finish(event, "ignored: no connected shop with this id")
    if not _active(account):
        return _finish(event, "skipped: account not active; the poll after reconnecting replays it")
    remotes = fetch_orders(account, [event.external_order_id])
    if not remotes:
        return _finish(event, "ignored: the platform does not know this order")
    outcomes = []
    for remote in remotes:
        result = import_remote(account, remote)
        outcomes.append(f"{result.order.number}: " + ("created" if result.created else
                                                      "updated" if result.changed else "unchanged"))
    return _finish(event, "; ".join(outcomes))


def _finish(event: ChannelEvent, outcome: str) -> str:
    event.processed_at = utcnow()
    event.outcome = outcome[:300]
    db.session.flush()
    return outcome


def unprocessed_events(limit: int = 500) -> list[int]:
    """Pushes stored but not processed (the enqueue failed, a worker died): the sweep hands them out again, once
    they are older than a grace period in which their own task should have run."""
    cutoff = utcnow() - timedelta(seconds=current_app.config.get("CHANNEL_PULL_EVENT_GRACE_SECONDS", 20))
    return list(db.session.scalars(select(ChannelEvent.id).where(
        ChannelEvent.processed_at.is_(None), ChannelEvent.received_at <= cutoff,
        ChannelEvent.attempts < current_app.config.get("CHANNEL_PULL_EVENT_ATTEMPTS", 20),
    ).order_by(ChannelEvent.id).limit(limit)))


def pollable_accounts() -> list[int]:
    return list(db.session.scalars(select(ChannelAccount.id).where(ChannelAccount.status == AccountStatus.ACTIVE)
                                   .order_by(ChannelAccount.id)))


@dataclass
class PollPlan:
    account_id: int
    order_ids: list[str]
    until: datetime  # the new watermark once every id is imported


def plan_poll(account_id: int, now: datetime | None = None) -> PollPlan | None:
    """Lists (network only, no lock) every order updated in [watermark − overlap, now], window by window within
    the platform's limit (Shopee: 15 days) and page by page. A new account starts from its connection: orders from
    before it were already counted in the koperasi's stock."""
    now = now or utcnow()
    account = db.session.get(ChannelAccount, account_id)
    if not _active(account):
        return None
    if account.order_watermark is None:  # never polled: everything since the shop was connected
        account.order_watermark = min(account.created_at or now, now)
        db.session.flush()
    overlap = timedelta(seconds=current_app.config.get("CHANNEL_PULL_OVERLAP_SECONDS", 300))
    adapter_cls = adapters.ADAPTERS[str(account.platform)][0]
    window = timedelta(days=adapter_cls.max_order_window_days) - timedelta(minutes=1)
    start, ids, seen = account.order_watermark - overlap, [], set()
    while start < now:
        end = min(start + window, now)
        cursor = ""
        while True:
            page = call_partner(account, lambda adapter, s=start, e=end, c=cursor:
                                adapter.list_orders(_unix(s), _unix(e), c))
            for order_id in page.order_ids:
                if order_id not in seen:
                    seen.add(order_id)
                    ids.append(order_id)
            if not page.more or not page.next_cursor:
                break
            cursor = page.next_cursor
        start = end
    return PollPlan(account_id, ids, now)


def import_batch(account_id: int, order_ids: list[str]) -> int:
    """Fetches and imports one batch (≤ 50). Returns how many orders were new or changed."""
    account = db.session.get(ChannelAccount, account_id)
    if not _active(account) or not order_ids:
        return 0
    changed = 0
    for remote in fetch_orders(account, order_ids):
        try:
            with db.session.begin_nested():
                result = import_remote(account, remote)
        except (DomainError, ChannelError) as error:
            _park(account, remote.order_id, remote.update_time, error)
            continue
        changed += int(result.created or result.changed)
    return changed


def _park(account: ChannelAccount, order_id: str, update_time: int, error: Exception) -> None:
    """One order that cannot be imported (a state word we do not know, bad partner data) must not hold back the
    poll's watermark for every other order: it becomes a stored event that the sweep retries, visible with its
    reason, up to ``CHANNEL_PULL_EVENT_ATTEMPTS`` times."""
    log.warning("partner order %s/%s not imported: %s", account.platform, order_id, error)
    key = f"poll:{order_id}:{update_time}"
    if db.session.scalar(select(ChannelEvent.id).where(ChannelEvent.platform == str(account.platform),
                                                       ChannelEvent.dedupe_key == key)) is None:
        db.session.add(ChannelEvent(platform=str(account.platform), dedupe_key=key, account_id=account.id,
                                    shop_id=account.shop_id, kind=ORDER_EVENT_KINDS[str(account.platform)],
                                    external_order_id=order_id, body="{}", attempts=1,
                                    outcome=f"poll: {error}"[:300]))
        db.session.flush()


def note_failure(event_id: int, error: Exception, *, final: bool) -> None:
    """Called after a failed attempt was rolled back: the attempt counts (the sweep stops after the limit), and a
    refusal that retrying cannot change (bad partner data) closes the event with its reason."""
    event = db.session.get(ChannelEvent, event_id)
    if event is None or event.processed_at is not None:
        return
    event.attempts += 1
    event.outcome = f"{type(error).__name__}: {error}"[:300]
    if final:
        event.processed_at = utcnow()
    db.session.flush()


def advance_watermark(account_id: int, until: datetime) -> None:
    """Only forward: a slow poll finishing after a faster one never moves the watermark back."""
    account = db.session.get(ChannelAccount, account_id)
    if account is not None and (account.order_watermark is None or until > account.order_watermark):
        account.order_watermark = until
    db.session.flush()


def cancel_on_partner(order_id: int) -> str:
    """Asks the platform to cancel an order we could not fill (the last unit sold elsewhere first). The
    platform answering that it is already cancelled counts as done."""
    partner = db.session.scalar(select(PartnerOrder).where(PartnerOrder.order_id == order_id))
    if partner is None or partner.account_id is None:
        return "no partner order"
    account = db.session.get(ChannelAccount, partner.account_id)
    if not _active(account):
        return "account not active"
    try:
        call_partner(account, lambda adapter: adapter.cancel_order(partner.external_id, "OUT_OF_STOCK"))
    except ChannelRejected as error:
        if _cancelled_there(account, partner.external_id):
            _restocked_there(account, partner)
            return "already cancelled"
        return f"refused: {error.message}"[:300]
    _restocked_there(account, partner)
    return "cancelled"


def _restocked_there(account: ChannelAccount, partner: PartnerOrder) -> None:
    """The platform put the cancelled order's units back on its own figure; ours did not move (the order never
    took stock here), so nothing else would push: the listings are pushed again, after this call."""
    partner_moved_stock(account.id, {line.variant_id for line in partner.order.lines if line.variant_id})


def _cancelled_there(account: ChannelAccount, external_id: str) -> bool:
    """A refused cancel is done when the platform shows the order cancelled already (the buyer or the platform's
    own timeout came first); the refusal's wording differs per platform, the order's state does not."""
    try:
        found = call_partner(account, lambda adapter: adapter.get_orders([external_id]))
    except ChannelError:
        return False
    return any(order.status == "CANCELLED" for order in found)
