"""Indexing tasks on the ``search`` queue, which one worker process consumes (Whoosh has one writer per index)."""

from celery import shared_task

from marketplace.search.services import rebuild, reindex_products
from search_index import IndexBusy


@shared_task(
    name="search.index_products", ignore_result=True, queue="search",
    autoretry_for=(IndexBusy,), retry_backoff=1, max_retries=10,
)
def index_products(product_ids: list[int]) -> int:
    """Re-indexes the given products from current database state (safe to run twice, in any order)."""
    return reindex_products(product_ids)


@shared_task(name="search.rebuild", ignore_result=True, queue="search")
def rebuild_index() -> int:
    """Nightly full rebuild: picks up what no event announces (a halal certificate passing its expiry date) and
    compacts the segments that a day of small commits leaves. Runs on the search queue, so after the day's writes."""
    return rebuild().documents
