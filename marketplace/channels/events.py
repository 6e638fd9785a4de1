"""From outbox events to pushes: a stock change (or a product change: certificate, status) marks the linked
listings dirty in the dispatcher's transaction; after it commits, one push task per affected account goes on the
``channel.push`` queue. If the process dies in between, the periodic sweep finds the dirty listings."""

from flask import current_app, has_app_context
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from marketplace.catalog.models import Variant
from marketplace.channels.models import (
    AccountStatus,
    ChannelAccount,
    ChannelBundleComponent,
    ChannelListing,
    MatchState,
)
from marketplace.extensions import db

PUSH_TASK = "channels.push_account"
PUSH_QUEUE = "channel.push"
_PENDING = "channels_push_accounts"


def _mark_dirty(variant_ids: set[int], *, account_id: int | None = None, forget_last: bool = False) -> None:
    if not variant_ids:
        return
    bundles = select(ChannelBundleComponent.bundle_id).where(ChannelBundleComponent.variant_id.in_(variant_ids))
    linked = [ChannelListing.match_state.in_([MatchState.AUTO, MatchState.MANUAL]),
              or_(ChannelListing.variant_id.in_(variant_ids), ChannelListing.bundle_id.in_(bundles))]
    if account_id is not None:
        linked.append(ChannelListing.account_id == account_id)
    accounts = set(db.session.scalars(select(ChannelListing.account_id).join(ChannelAccount).where(
        *linked, ChannelAccount.status == AccountStatus.ACTIVE).distinct()))
    if not accounts:
        return
    values = {"push_requested": ChannelListing.push_requested + 1}
    if forget_last:
        values["last_pushed_value"] = None
    db.session.execute(update(ChannelListing).where(*linked).values(**values)
                       .execution_options(synchronize_session=False))
    enqueue_after_commit(accounts)


def partner_moved_stock(account_id: int, variant_ids: set[int]) -> None:
    """The partner changed its own stock figure for these variants' listings (an order there took units, a
    cancellation there gave them back): what we last pushed no longer describes what it shows, so the listings
    are pushed again even if the value we want equals the one we sent last. Without this, a local change that
    happens to bring the value back to the last one pushed (a stock take, a sale here) leaves the partner's own
    decrement or restock standing. In the caller's transaction; the push is enqueued after commit."""
    _mark_dirty(variant_ids, account_id=account_id, forget_last=True)


def on_stock_changed(events: list) -> None:
    _mark_dirty({int(e.payload["variant_id"]) for e in events if (e.payload or {}).get("variant_id") is not None})


def on_product_changed(events: list) -> None:
    """A certificate expired or the product was archived: its listings must show 0 (or come back)."""
    product_ids = {int(e.payload["product_id"]) for e in events if (e.payload or {}).get("product_id") is not None}
    if product_ids:
        _mark_dirty(set(db.session.scalars(select(Variant.id).where(Variant.product_id.in_(product_ids)))))


def enqueue_after_commit(account_ids) -> None:
    db.session.info.setdefault(_PENDING, set()).update(account_ids)


def enqueue_push(account_ids) -> None:
    celery = current_app.extensions.get("celery")
    if celery is None:
        return
    for account_id in sorted(account_ids):
        celery.send_task(PUSH_TASK, args=[account_id], queue=PUSH_QUEUE)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    accounts = session.info.pop(_PENDING, None)
    if not accounts or not has_app_context() or "celery" not in current_app.extensions:
        return
    if current_app.extensions["celery"].conf.task_always_eager:
        return  # tests drive pushes explicitly; an eager task here would run inside this commit
    enqueue_push(accounts)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
