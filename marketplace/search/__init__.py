"""The app's side of product search: which events re-index which products, the indexing tasks on the ``search``
queue, and the CLI. The engine itself (Whoosh today) lives in ``search_index``."""

from flask import Flask


def init_app(app: Flask) -> None:
    from celery.schedules import crontab

    from marketplace.core.background import register_tasks
    from marketplace.outbox.services import subscribe
    from search_index.cli import register_cli
    from search_index.events import TOPICS, enqueue_reindex

    for topic in TOPICS:
        subscribe(app, topic, enqueue_reindex)
    register_cli(app)
    register_tasks(app, "marketplace.search.tasks", {
        "search-rebuild-nightly": {"task": "search.rebuild", "schedule": crontab(hour=3, minute=15),
                                   "options": {"queue": "search"}},
    })
