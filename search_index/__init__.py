"""Product search. The storefront talks only to the interface in ``search_index.api`` through ``get_engine()``;
Whoosh is today's implementation (``search_index.engine``), a search server could be tomorrow's."""

from flask import current_app

from search_index.api import (  # noqa: F401  (the public interface)
    SORTS,
    Facets,
    Hit,
    SearchEngine,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
    Suggestions,
)


def get_engine() -> SearchEngine:
    """This process's search engine for the current app (opened once, refreshed as the index changes)."""
    found = current_app.extensions.get("search_engine")
    if found is None:
        from search_index.engine import WhooshSearchEngine

        found = WhooshSearchEngine(
            current_app.config["SEARCH_INDEX_DIR"], current_app.config.get("SEARCH_REFRESH_INTERVAL", 0.1)
        )
        current_app.extensions["search_engine"] = found
    return found
