"""Real servers for the tests: PostgreSQL and Redis on this machine.

Absent server: the tests that need it skip with the reason, except under CI (CI=true), where it is a failure.
"""

import os
import socket
import uuid
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url.replace("+psycopg", ""))
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def require(name: str, url: str, default_port: int) -> None:
    if _reachable(url, default_port):
        return
    message = f"{name} is not reachable at {url}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: the server is required)")
    pytest.skip(f"{message}; start it to run these tests")


def require_postgres() -> None:
    require("PostgreSQL", PG_ADMIN_URL, 5432)


def require_redis() -> None:
    require("Redis", REDIS_URL, 6379)


@contextmanager
def scratch_postgres_database():
    """A fresh, uniquely named database for one test session, dropped afterwards, so that parallel runs on one
    server never see each other's rows."""
    import sqlalchemy as sa

    require_postgres()
    name = f"opop_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def redis_worker_app(tmp_path, label: str, **config):
    """An app on a scratch PostgreSQL database with Celery on the real Redis broker, migrated and inside an app
    context, for tests that run a real worker. Its own key prefix keeps other runs' workers off its tasks."""
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.extensions import db

    require_redis()
    with scratch_postgres_database() as url:
        app = create_app(
            "testing", SQLALCHEMY_DATABASE_URI=url, CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=REDIS_URL,
            CELERY_RESULT_BACKEND=None, MEDIA_DIR=str(tmp_path / "media"), SEARCH_INDEX_DIR=str(tmp_path / "search"),
            CELERY_BROKER_TRANSPORT_OPTIONS={"global_keyprefix": f"opop-{label}-test-{uuid.uuid4().hex[:8]}:"},
            **config,
        )
        with app.app_context():
            upgrade()
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()
