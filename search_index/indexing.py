"""Keeping the index in step with the database: the worker's incremental updates and the full rebuild."""

from collections.abc import Callable, Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.outbox.models import OutboxEvent
from search_index.documents import all_documents, count_visible, documents_for
from search_index.events import TOPICS, product_ids_from
from search_index.writer import BuildStats, apply_changes, build_index


def index_base() -> str:
    return current_app.config["SEARCH_INDEX_DIR"]


def reindex_products(product_ids: Iterable[int]) -> int:
    """Brings the given products up to date in the index, in one commit. Reads current database state, so it is
    safe to run twice and in any order."""
    documents, gone = documents_for(product_ids)
    apply_changes(index_base(), documents, gone)
    return len(documents) + len(gone)


def rebuild(procs: int = 1, progress: Callable[[int], None] = lambda n: None) -> BuildStats:
    """Builds a fresh index from the database and swaps it in; search keeps answering from the old one meanwhile.
    Changes committed while the rebuild was reading are replayed into the new index from the outbox. The session
    is emptied chunk by chunk (constant memory): objects the caller held must be loaded again."""
    started = utcnow() - timedelta(seconds=2)
    stats = build_index(index_base(), all_documents(), procs=procs, progress=progress)
    events = db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.topic.in_(TOPICS), OutboxEvent.created_at >= started)
    ).all()
    changed = product_ids_from(events)
    if changed:
        reindex_products(changed)
    return stats


def visible_count() -> int:
    return count_visible()
