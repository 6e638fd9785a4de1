"""Search fixtures: the judged catalogue indexed once per session, and a private index directory per app test."""

import pytest

from search_index.engine import WhooshSearchEngine
from search_index.writer import build_index
from tests.search import judged


@pytest.fixture(scope="session")
def judged_engine(tmp_path_factory):
    base = tmp_path_factory.mktemp("judged-index")
    build_index(base, judged.documents())
    return WhooshSearchEngine(base, refresh_interval=0)


@pytest.fixture
def search_dir(app, tmp_path):
    """Points the app at an empty index directory of its own for one test."""
    previous = app.config["SEARCH_INDEX_DIR"], app.config.get("SEARCH_REFRESH_INTERVAL")
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "search")
    app.config["SEARCH_REFRESH_INTERVAL"] = 0
    app.extensions.pop("search_engine", None)
    yield tmp_path / "search"
    app.extensions.pop("search_engine", None)
    app.config["SEARCH_INDEX_DIR"], app.config["SEARCH_REFRESH_INTERVAL"] = previous
