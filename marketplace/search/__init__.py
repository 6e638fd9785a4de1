"""The app's side of product search: documents read from the database (``documents``), which events re-index
which products (``events``), the indexing services and tasks on the ``search`` queue, and the CLI. The engine
itself (Whoosh today) lives in ``search_index`` and imports nothing from the app."""

from flask import Flask

from search_index import SearchEngine


def get_engine() -> SearchEngine:
    """This process's search engine for the current app (see ``services.get_engine``)."""
    from marketplace.search.services import get_engine as engine

    return engine()


def init_app(app: Flask) -> None:
    from celery.schedules import crontab

    from marketplace.core.background import register_tasks
    from marketplace.outbox.services import subscribe
    from marketplace.search.cli import register_cli
    from marketplace.search.events import TOPICS, enqueue_reindex

    for topic in TOPICS:
        subscribe(app, topic, enqueue_reindex)
    register_cli(app)
    register_tasks(app, "marketplace.search.tasks", {
        "search-rebuild-nightly": {"task": "search.rebuild", "schedule": crontab(hour=3, minute=15),
                                   "options": {"queue": "search"}},
    })
