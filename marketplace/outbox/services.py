"""The transactional outbox.

``record()`` adds an event to the current transaction. After that transaction commits, a dispatch is requested
(a Celery task on the embedded or Redis broker); the dispatcher hands each pending event to the handlers
registered for its topic and marks it dispatched. A periodic sweep dispatches anything a crash left behind.
Handlers must be idempotent: an event can be handed over twice if a process dies mid-dispatch.
"""

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.outbox.models import OutboxEvent

Handler = Callable[[list[OutboxEvent]], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)
_after_commit_hooks: list[Callable[[], None]] = []


def on(topic: str) -> Callable[[Handler], Handler]:
    """Registers a handler that receives a batch of pending events of one topic."""

    def register(handler: Handler) -> Handler:
        if handler not in _handlers[topic]:
            _handlers[topic].append(handler)
        return handler

    return register


def when_committed(hook: Callable[[], None]) -> None:
    """Registers what runs after a transaction that recorded events commits (normally: enqueue a dispatch)."""
    if hook not in _after_commit_hooks:
        _after_commit_hooks.append(hook)


def record(topic: str, **payload) -> OutboxEvent:
    outbox_event = OutboxEvent(topic=topic, payload=payload)
    db.session.add(outbox_event)
    db.session.info["outbox_pending"] = True
    return outbox_event


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("outbox_pending", False):
        for hook in _after_commit_hooks:
            hook()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("outbox_pending", None)


def dispatch_pending(limit: int = 500) -> int:
    """Hands pending events to their handlers, oldest first, one batch per topic. Returns how many were sent.
    Rows are locked (SKIP LOCKED on PostgreSQL) so two dispatchers never take the same events."""
    query = select(OutboxEvent).where(OutboxEvent.dispatched_at.is_(None)).order_by(OutboxEvent.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    events = list(db.session.scalars(query))
    by_topic: dict[str, list[OutboxEvent]] = defaultdict(list)
    for outbox_event in events:
        by_topic[outbox_event.topic].append(outbox_event)
    now = utcnow()
    for topic, batch in by_topic.items():
        try:
            for handler in _handlers.get(topic, []):
                handler(batch)
        except Exception as error:  # a failing handler must not block other topics; the sweep retries
            for outbox_event in batch:
                outbox_event.attempts += 1
                outbox_event.last_error = repr(error)[:500]
            continue
        for outbox_event in batch:
            outbox_event.dispatched_at = now
            outbox_event.attempts += 1
    db.session.flush()
    return sum(1 for e in events if e.dispatched_at is not None)
