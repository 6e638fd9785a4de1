"""Product search, the engine: Indonesian analysis, the index on disk, matching, ranking, facets. It knows nothing
of the marketplace (no Flask app, no models): the app hands it ``ProductDocument`` values and asks through the
interface in ``search_index.api``. Whoosh is today's implementation (``search_index.engine``); a search server
could be tomorrow's. The app's side (documents from the database, events, tasks, CLI) is ``marketplace.search``."""

from search_index.api import (  # noqa: F401  (the public interface)
    PRICE_BANDS,
    SORTS,
    BuildStats,
    Facets,
    Hit,
    IndexBusy,
    IndexStatus,
    ProductDocument,
    SearchEngine,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
    Suggestions,
)


def open_engine(base: str, refresh_interval: float = 0.1) -> SearchEngine:
    """The engine for the index directory ``base``: keep one per process (opening costs hundreds of ms)."""
    from search_index.engine import WhooshSearchEngine

    return WhooshSearchEngine(base, refresh_interval)
