"""Order-pull tasks on the ``channel.pull`` queue. Each takes ids, commits at its edge and is safe twice."""

from celery import shared_task

from marketplace.channels.adapters.base import ChannelError
from marketplace.channels.pull import services
from marketplace.core.celery import enqueue
from marketplace.core.errors import DomainError
from marketplace.extensions import db

QUEUE = "channel.pull"


class PartnerBusy(Exception):
    """A retryable partner error outlived the call's own retries: the task tries again later."""


@shared_task(name="channels.pull.process_event", ignore_result=True, autoretry_for=(PartnerBusy,),
             retry_backoff=2, retry_backoff_max=120, max_retries=6)
def process_event(event_id: int) -> str:
    try:
        outcome = services.process_event(event_id)
    except (ChannelError, DomainError) as error:
        db.session.rollback()
        services.note_failure(event_id, error, final=isinstance(error, DomainError))
        db.session.commit()
        if isinstance(error, ChannelError) and error.retryable:
            raise PartnerBusy(str(error)) from error
        return f"not imported: {error}"
    db.session.commit()
    return outcome


@shared_task(name="channels.pull.poll_account", ignore_result=True)
def poll_account(account_id: int) -> int:
    """Lists, then imports batch by batch (one commit each), then moves the watermark: a worker killed midway
    leaves the watermark where it was, and the next poll re-reads (idempotently) what this one had done."""
    plan = services.plan_poll(account_id)
    db.session.commit()
    if plan is None:
        return 0
    changed = 0
    for start in range(0, len(plan.order_ids), 50):
        changed += services.import_batch(account_id, plan.order_ids[start:start + 50])
        db.session.commit()
    services.advance_watermark(account_id, plan.until)
    db.session.commit()
    return changed


@shared_task(name="channels.pull.sweep", ignore_result=True)
def sweep() -> int:
    """Beat: every active account is polled, and stored pushes nobody processed are handed out again."""
    events = services.unprocessed_events()
    accounts = services.pollable_accounts()
    db.session.commit()
    for event_id in events:
        enqueue(process_event, event_id, queue=QUEUE)
    for account_id in accounts:
        enqueue(poll_account, account_id, queue=QUEUE)
    return len(events) + len(accounts)


@shared_task(name="channels.pull.cancel_on_partner", ignore_result=True, autoretry_for=(PartnerBusy,),
             retry_backoff=5, retry_backoff_max=600, max_retries=8)
def cancel_on_partner(order_id: int) -> str:
    try:
        outcome = services.cancel_on_partner(order_id)
    except ChannelError as error:
        db.session.rollback()
        if error.retryable:
            raise PartnerBusy(str(error)) from error
        return str(error)
    db.session.commit()
    return outcome
