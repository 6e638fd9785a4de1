"""Thin tasks on the ``channel.push`` queue: they take ids, call the channel services and are safe to run twice
(a second push finds nothing dirty; a second reconcile reads zero drift)."""

from celery import shared_task
from sqlalchemy import select

from marketplace.channels import push, reconcile, services
from marketplace.channels.adapters.base import ChannelError
from marketplace.channels.client import account_client
from marketplace.channels.events import PUSH_QUEUE, enqueue_push
from marketplace.channels.models import AccountStatus, ChannelAccount
from marketplace.core.celery import enqueue
from marketplace.core.timeutil import utcnow
from marketplace.extensions import db


@shared_task(name="channels.push_account", ignore_result=True, queue=PUSH_QUEUE)
def push_account(account_id: int) -> dict:
    summary = push.push_account(account_id)
    db.session.commit()
    return {"pushed": summary.pushed, "failed": summary.failed, "calls": summary.calls, "busy": summary.busy}


@shared_task(name="channels.push_sweep", ignore_result=True, queue=PUSH_QUEUE)
def push_sweep() -> int:
    """Catches what a crash between commit and enqueue (or a held-back failure) left dirty."""
    accounts = push.dirty_account_ids()
    db.session.commit()
    enqueue_push(accounts)
    return len(accounts)


@shared_task(name="channels.import_listings", ignore_result=True, queue=PUSH_QUEUE)
def import_listings(account_id: int) -> dict:
    account = db.session.get(ChannelAccount, account_id)
    if account is None or account.status != AccountStatus.ACTIVE:
        return {}
    counts = services.import_listings(account)
    db.session.commit()
    push.push_account(account_id)
    db.session.commit()
    return counts


@shared_task(name="channels.reconcile_account", ignore_result=True, queue=PUSH_QUEUE)
def reconcile_account(account_id: int) -> dict:
    report = reconcile.reconcile_account(account_id)
    db.session.commit()
    return {"checked": report.checked, "drifted": report.drifted, "fixed": report.fixed} if report else {}


@shared_task(name="channels.reconcile_all", ignore_result=True, queue=PUSH_QUEUE)
def reconcile_all() -> int:
    ids = list(db.session.scalars(select(ChannelAccount.id).where(ChannelAccount.status == AccountStatus.ACTIVE)))
    db.session.commit()
    for account_id in ids:
        enqueue(reconcile_account, account_id, queue=PUSH_QUEUE)
    return len(ids)


@shared_task(name="channels.refresh_tokens", ignore_result=True, queue=PUSH_QUEUE)
def refresh_tokens() -> int:
    """Keeps idle accounts alive: tokens close to expiry are refreshed even when nothing is pushed."""
    from datetime import timedelta

    from flask import current_app

    soon = utcnow() + timedelta(seconds=2 * current_app.config["CHANNEL_REFRESH_MARGIN"])
    accounts = list(db.session.scalars(select(ChannelAccount).where(
        ChannelAccount.status == AccountStatus.ACTIVE, ChannelAccount.access_expires_at < soon)))
    refreshed = 0
    for account in accounts:
        try:
            account_client(account).adapter()
            refreshed += 1
        except ChannelError:  # one shop's failure must not stop the others; an expired one is marked and mailed
            db.session.rollback()
    db.session.commit()
    return refreshed
