"""Keeping the index in step with the database: the worker's incremental updates and the full rebuild. These are
the only callers of the engine's writes; what to write comes from ``documents`` (the database's current state)."""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from marketplace.core.timeutil import utcnow
from marketplace.extensions import db
from marketplace.outbox.models import OutboxEvent
from marketplace.search.documents import all_documents, count_visible, documents_for
from marketplace.search.events import TOPICS, product_ids_from
from search_index import BuildStats, IndexStatus, ProductDocument, SearchEngine, open_engine

# An event is stamped when it is recorded, not when its transaction commits: look back this far for stragglers.
COMMIT_SLACK = timedelta(seconds=2)


def get_engine() -> SearchEngine:
    """This process's search engine for the current app (opened once, refreshed as the index changes)."""
    found = current_app.extensions.get("search_engine")
    if found is None:
        found = open_engine(current_app.config["SEARCH_INDEX_DIR"],
                            current_app.config.get("SEARCH_REFRESH_INTERVAL", 0.1))
        current_app.extensions["search_engine"] = found
    return found


def reindex_products(product_ids: Iterable[int]) -> int:
    """Brings the given products up to date in the index, in one commit. Reads current database state, so it is
    safe to run twice and in any order."""
    documents, gone = documents_for(product_ids)
    get_engine().apply_changes(documents, gone)
    return len(documents) + len(gone)


def _events_since(moment: datetime) -> list[OutboxEvent]:
    return list(db.session.scalars(
        select(OutboxEvent).where(OutboxEvent.topic.in_(TOPICS), OutboxEvent.created_at >= moment - COMMIT_SLACK)
    ))


def rebuild(procs: int = 1, progress: Callable[[int], None] = lambda n: None) -> BuildStats:
    """Builds a fresh index from the database and swaps it in; search keeps answering from the old one meanwhile.
    Changes committed while the rebuild was reading go into the new index before it goes live; events that commit
    between that catch-up and the swap (their indexing task wrote into the old index) are re-indexed right after.
    The session is emptied chunk by chunk (constant memory): objects the caller held must be loaded again."""
    started = utcnow()
    caught_up: set[int] = set()

    def catch_up() -> tuple[list[ProductDocument], list[int]]:
        events = _events_since(started)
        caught_up.update(event.id for event in events)
        return documents_for(product_ids_from(events))

    stats = get_engine().rebuild(all_documents(), procs=procs, progress=progress, catch_up=catch_up)
    late = product_ids_from([event for event in _events_since(started) if event.id not in caught_up])
    if late:
        reindex_products(late)
    return stats


def visible_count() -> int:
    return count_visible()


def index_status() -> IndexStatus:
    """Raises ``SearchUnavailable`` when there is no readable index."""
    return get_engine().status()
