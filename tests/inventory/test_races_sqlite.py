"""The same guarantee on the embedded default (a SQLite file): buyers on separate connections, no oversell,
nobody gets a "database is locked" error (writers wait for the immediate write lock)."""

import pytest
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.extensions import db
from tests.inventory.test_races_pg import _check_outcome, _prepare, _race


@pytest.fixture(scope="module")
def sqlite_race_app(tmp_path_factory):
    base = tmp_path_factory.mktemp("sqlite-race")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{base / 'race.db'}", MEDIA_DIR=str(base / "m"))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_fifty_buyers_on_sqlite_exactly_ten_orders(sqlite_race_app):
    clients, tokens, koperasi_id, variant_ids = _prepare(
        sqlite_race_app, "lite", {"A": 10, "B": 10}, lambda i: ["A", "B"] if i % 2 else ["B", "A"])
    results, lowest = _race(clients, tokens, koperasi_id, variant_ids, sqlite_race_app)
    assert not [body[:300] for code, body in results if code >= 500]
    _check_outcome(sqlite_race_app, results, lowest, variant_ids, koperasi_id)


def test_fifty_buyers_opening_checkout_on_sqlite_get_ten_holds(sqlite_race_app):
    """Holds are taken before anything else is written, so here the immediate write lock alone keeps two
    checkouts from holding the same unit."""
    from sqlalchemy import func, select

    from marketplace.inventory.models import Reservation

    clients, tokens, koperasi_id, variant_ids = _prepare(sqlite_race_app, "hold", {"A": 10}, lambda i: ["A"])
    results, _lowest = _race(clients, tokens, koperasi_id, variant_ids, sqlite_race_app, hold_only=True)
    codes = [code for code, _body in results]
    assert codes.count(200) == 10 and codes.count(302) == 40, codes
    with sqlite_race_app.app_context():
        held = db.session.scalar(select(func.sum(Reservation.quantity)).where(
            Reservation.variant_id == variant_ids[0]))
        assert held == 10
