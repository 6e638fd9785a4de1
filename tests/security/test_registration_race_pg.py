"""Eight registrations of one email at the same moment, on real PostgreSQL (each its own connection, committed):
one account, eight identical "check your email" answers, no 500 (before: 7×500)."""

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.services import scratch_postgres_database

ATTEMPTS = 8


@pytest.fixture(scope="module")
def race_app(tmp_path_factory):
    with scratch_postgres_database() as url:
        base = tmp_path_factory.mktemp("register-race")
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=str(base / "media"),
                         SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": ATTEMPTS + 2})
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


def test_parallel_registrations_of_one_email_make_one_account(race_app):
    barrier = threading.Barrier(ATTEMPTS)
    answers: list[tuple[int, str]] = []

    def register(i: int):
        client = race_app.test_client()
        barrier.wait()
        response = client.post("/daftar", data={"name": f"Kembar {i}", "email": "kembar@uji.opop.id",
                                                "password": "rahasia123", "confirm": "rahasia123"})
        answers.append((response.status_code, response.headers.get("Location", "")))

    threads = [threading.Thread(target=register, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(answers) == [(302, "/masuk")] * ATTEMPTS
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)
                                 .where(User.email == "kembar@uji.opop.id")) == 1
