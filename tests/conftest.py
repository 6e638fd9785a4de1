"""Fixtures: one app per database backend (schema built by the migrations), one rolled-back transaction per test,
and factories that return callables."""

import itertools

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event as sa_event

from marketplace import create_app
from marketplace.extensions import db as _db
from tests.services import scratch_postgres_database

pytest_plugins = ["tests.factories", "tests.stock_fixtures", "tests.browser", "tests.search.fixtures",
                  "tests.seller_fixtures", "tests.sandbox_fixtures", "tests.live"]


def pytest_configure(config):
    """Compile the translation catalogues, so that a bare `pytest` tests the English switch too."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in Path(__file__).resolve().parent.parent.glob("translations/*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


class FreshContextClient(FlaskClient):
    """Runs every request in its own app context, as in production, even while the test holds one open: no
    `g` (login, locale) leaks from one request to the next. Afterwards the test's own session is expired, so it
    reads what the request wrote."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if _db.session.registry.has():
            _db.session.expire_all()
        return response


def _build_app(url: str, tmp_path_factory):
    base = tmp_path_factory.mktemp("instance")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        MEDIA_DIR=str(base / "media"),
        SEARCH_INDEX_DIR=str(base / "search"),
        MAIL_FILE_PATH=str(base / "mail"),
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        upgrade()
        if url.startswith("sqlite"):
            _sqlite_savepoints(_db.engine)
    return app


def _sqlite_savepoints(engine) -> None:
    """pysqlite's own transaction handling ignores SAVEPOINTs, so a test's commit was really committed and
    leaked into later tests. SQLAlchemy's documented recipe: let SQLAlchemy emit BEGIN itself."""

    @sa_event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection, record):
        dbapi_connection.isolation_level = None

    @sa_event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")

    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def app(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield _build_app(f"sqlite:///{path}", tmp_path_factory)
        return
    with scratch_postgres_database() as url:
        application = _build_app(url, tmp_path_factory)
        yield application
        with application.app_context():
            _db.engine.dispose()


class _ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks the app's engine and ignores ``bind``; a test's session must use the
    test's connection, or its commits escape the rollback."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture
def db(app):
    """Each test runs inside a transaction that is rolled back; the code under test may commit freely
    (its commits end savepoints)."""
    from marketplace.storefront.cache import page_cache

    with app.app_context():
        page_cache.clear()  # cached pages belong to the data of the test that made them
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {"class_": _ConnectionBoundSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def counter():
    return itertools.count(1)
