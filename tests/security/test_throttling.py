"""Guessing passwords is slow and loud: repeated failures lock the email, an address is throttled, and a reply
says nothing about whether an account exists (same words, similar time)."""

import time

import pytest

from marketplace.extensions import limiter
from tests.factories import PASSWORD


@pytest.fixture
def limits(app):
    saved = dict(app.config)
    limiter.reset()

    def set_limits(**values):
        app.config.update(values)

    yield set_limits
    app.config.update(saved)
    limiter.reset()


def test_account_locks_after_repeated_failures_even_with_the_right_password(client, make_user, limits):
    limits(LOGIN_FAILURES_PER_ACCOUNT="5 per 15 minutes")
    user = make_user()
    for _ in range(5):
        assert client.post("/masuk", data={"email": user.email, "password": "tebak-tebak"}).status_code == 200
    locked = client.post("/masuk", data={"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan" in locked.get_data(as_text=True)
    assert client.get("/akun").status_code == 302


def test_successful_logins_do_not_count_towards_the_lockout(client, make_user, limits):
    limits(LOGIN_FAILURES_PER_ACCOUNT="3 per 15 minutes")
    user = make_user()
    for _ in range(5):
        assert client.post("/masuk", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_one_address_is_throttled_across_emails(client, limits):
    limits(LOGIN_LIMIT_PER_ADDRESS="10 per minute")
    codes = [client.post("/masuk", data={"email": f"orang{n}@uji.opop.id", "password": "x"}).status_code
             for n in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]


def test_registration_and_reset_are_throttled(client, limits):
    limits(REGISTER_LIMIT="2 per hour", PASSWORD_RESET_LIMIT="2 per hour")
    form = {"name": "B", "password": "rahasia123", "confirm": "rahasia123"}
    codes = [client.post("/daftar", data={**form, "email": f"r{n}@uji.opop.id"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    codes = [client.post("/lupa-sandi", data={"email": "x@uji.opop.id"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]


def _timed_login(client, email: str) -> float:
    started = time.perf_counter()
    client.post("/masuk", data={"email": email, "password": "salah-sekali"})
    return time.perf_counter() - started


def test_login_takes_as_long_for_an_unknown_email(client, make_user):
    user = make_user()
    known = min(_timed_login(client, user.email) for _ in range(3))
    unknown = min(_timed_login(client, "tidak-ada@uji.opop.id") for _ in range(3))
    # Before, an unknown email answered in a tenth of the time (no hash was checked).
    assert unknown > known * 0.5
