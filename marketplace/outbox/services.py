"""The transactional outbox: the only code that writes outbox rows.

``record()`` (one event), ``record_once()`` (one event per key per transaction) and ``record_many()`` (a set-based
insert for bulk writers) add events to the current transaction. After that transaction commits, the app's
after-commit hooks run (normally: enqueue a dispatch); the dispatcher hands each pending event to the handlers the
app subscribed for its topic and marks it dispatched. A periodic sweep dispatches anything a crash left behind.
Handlers must be idempotent: an event can be handed over twice if a process dies mid-dispatch.

Handlers and hooks belong to one Flask app (``init_app``), so a second ``create_app`` in one process (tests, the
worker) neither inherits nor doubles the first one's.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.outbox.models import OutboxEvent

Handler = Callable[[list[OutboxEvent]], None]
_PENDING = "outbox_pending"
_ONCE = "outbox_once"


@dataclass
class OutboxWiring:
    handlers: dict[str, list[Handler]] = field(default_factory=lambda: defaultdict(list))
    after_commit: list[Callable[[], None]] = field(default_factory=list)


def init_app(app: Flask) -> None:
    app.extensions["outbox"] = OutboxWiring()


def _wiring(app: Flask | None = None) -> OutboxWiring:
    return (app or current_app).extensions["outbox"]


def subscribe(app: Flask, topic: str, handler: Handler) -> None:
    """``handler`` receives each dispatched batch of pending events of ``topic``, in this app only."""
    handlers = _wiring(app).handlers[topic]
    if handler not in handlers:
        handlers.append(handler)


def when_committed(app: Flask, hook: Callable[[], None]) -> None:
    """What runs after a transaction that recorded events commits (normally: enqueue a dispatch)."""
    hooks = _wiring(app).after_commit
    if hook not in hooks:
        hooks.append(hook)


def _session(session: Session | None) -> Session:
    return session if session is not None else db.session


def record(topic: str, *, session: Session | None = None, **payload) -> OutboxEvent:
    session = _session(session)
    outbox_event = OutboxEvent(topic=topic, payload=payload)
    session.add(outbox_event)
    session.info[_PENDING] = True
    return outbox_event


def record_once(topic: str, key, *, session: Session | None = None, **payload) -> bool:
    """Records ``topic`` for ``key`` unless this transaction already did (many edits of one product make one
    event). Safe inside a ``before_flush`` listener: pass that listener's session."""
    session = _session(session)
    seen = session.info.setdefault(_ONCE, set())
    if (topic, key) in seen:
        return False
    seen.add((topic, key))
    record(topic, session=session, **payload)
    return True


def record_many(topic: str, payloads: Iterable[dict], *, once_by: str | None = None) -> int:
    """One INSERT for many events (bulk imports of 10,000 rows). With ``once_by``, payloads whose value of that
    key this transaction already recorded (by ``record_once``) are skipped, and the rest are marked as recorded."""
    session = db.session
    rows = []
    seen = session.info.setdefault(_ONCE, set())
    now = utcnow()
    for payload in payloads:
        if once_by is not None:
            key = (topic, payload.get(once_by))
            if key in seen:
                continue
            seen.add(key)
        rows.append({"topic": topic, "payload": payload, "created_at": now, "attempts": 0})
    if rows:
        session.execute(insert(OutboxEvent), rows)
        session.info[_PENDING] = True
    return len(rows)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_ONCE, None)
    if session.info.pop(_PENDING, False) and has_app_context() and "outbox" in current_app.extensions:
        for hook in _wiring().after_commit:
            hook()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_recorded(session: Session, previous_transaction) -> None:
    session.info.pop(_ONCE, None)


def dispatch_pending(limit: int = 500, rounds: int = 3) -> int:
    """Hands pending events to their handlers, oldest first, one batch per topic. Returns how many were sent.
    Rows are locked (SKIP LOCKED on PostgreSQL) so two dispatchers never take the same events. Events that the
    handlers themselves record (an order paid → its mail) are handed over in the next round of the same call."""
    sent = 0
    for _ in range(rounds):
        done, seen = _dispatch_round(limit)
        sent += done
        if seen < limit and not db.session.info.get(_PENDING):
            break
    return sent


def _dispatch_round(limit: int) -> tuple[int, int]:
    db.session.info.pop(_PENDING, None)
    query = select(OutboxEvent).where(OutboxEvent.dispatched_at.is_(None)).order_by(OutboxEvent.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    events = list(db.session.scalars(query))
    by_topic: dict[str, list[OutboxEvent]] = defaultdict(list)
    for outbox_event in events:
        by_topic[outbox_event.topic].append(outbox_event)
    handlers = _wiring().handlers
    now = utcnow()
    for topic, batch in by_topic.items():
        try:
            for handler in handlers.get(topic, []):
                handler(batch)
        except Exception as error:  # noqa: BLE001  a failing handler must not block other topics; the sweep retries
            for outbox_event in batch:
                outbox_event.attempts += 1
                outbox_event.last_error = repr(error)[:500]
            continue
        for outbox_event in batch:
            outbox_event.dispatched_at = now
            outbox_event.attempts += 1
    db.session.flush()
    return sum(1 for e in events if e.dispatched_at is not None), len(events)
