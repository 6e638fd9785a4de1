"""A session ends when the person says so: a cookie captured before logout, a password change or a reset no longer
opens the account, and the remember cookie dies with it."""

import re

from marketplace.accounts.models import User
from tests.factories import PASSWORD
from tests.mail import sent_mail


def _cookies(client) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def _replay(app, cookies: dict[str, str]):
    thief = app.test_client()
    for key, value in cookies.items():
        thief.set_cookie(key, value)
    return thief.get("/akun")


def test_a_captured_cookie_dies_at_logout(app, client, make_user):
    user = make_user()
    client.post("/masuk", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    captured = _cookies(client)
    assert {"session", "remember_token"} <= set(captured)
    assert _replay(app, captured).status_code == 200
    client.post("/keluar")
    assert _replay(app, captured).status_code == 302
    assert _replay(app, {"remember_token": captured["remember_token"]}).status_code == 302


def test_a_password_reset_ends_every_other_session(app, client, db, make_user):
    user = make_user()
    client.post("/masuk", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    captured = _cookies(client)
    other = app.test_client()
    other.post("/lupa-sandi", data={"email": user.email})
    path = re.search(r"https?://[^/\s]+(/atur-sandi/\S+)", sent_mail(app)[-1].body).group(1)
    other.post(path, data={"password": "sandiBaru99", "confirm": "sandiBaru99"})
    assert _replay(app, captured).status_code == 302
    assert _replay(app, {"remember_token": captured["remember_token"]}).status_code == 302


def test_cookies_are_samesite_and_secure_in_production(app, client, make_user):
    from config import ProductionConfig

    user = make_user()
    response = client.post("/masuk", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    headers = " ".join(response.headers.getlist("Set-Cookie"))
    assert headers.count("SameSite=Lax") == 2 and "HttpOnly" in headers
    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE


def test_a_hand_made_session_without_the_version_opens_nothing(app, db, make_user):
    """With the signing key known (only possible with the development key, which production refuses), an old-style
    cookie naming only the user id is still refused: the loader wants the current session version."""
    from flask.sessions import SecureCookieSessionInterface

    admin = make_user(is_opop_admin=True)
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    forged = app.test_client()
    forged.set_cookie("session", serializer.dumps({"_user_id": str(admin.id), "_fresh": True}))
    assert forged.get("/akun").status_code == 302
    db.session.refresh(admin)
    assert isinstance(admin, User) and admin.session_version >= 1
