"""The app served over real HTTP, one per test session, for the browser journeys (issue 16), the other browser tests
and the end-to-end payment tests: werkzeug in a thread on a free port, a committed scratch SQLite database,
localstripe as a subprocess with its signed webhooks pointed at the server, and CSRF checked as in production.

`live_app` is the app (its `PUBLIC_BASE_URL` is the server), `live_server` the base URL, and `journey` a
browser session for one test: pages for each person (phone or desktop), signed in through the login form, with
a screenshot of every open page saved when the test fails (tests/browser.py)."""

import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.extensions import db as _db
from tests.browser import artifacts_dir, log_in


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@pytest.fixture(scope="session")
def localstripe():
    port = free_port()
    binary = Path(sys.executable).parent / "localstripe"
    process = subprocess.Popen([str(binary), "--port", str(port), "--from-scratch"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/js.stripe.com/v3/")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


class TokenClient(FlaskClient):
    """A test client of the live app that sends a valid CSRF token with every state-changing request, in the
    header a script would use (Flask-WTF's X-CSRFToken), so tests may set up state with plain posts while the
    server checks CSRF for the browser."""

    def open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if method not in ("GET", "HEAD", "OPTIONS"):
            kwargs["headers"] = {"X-CSRFToken": self._token(), **dict(kwargs.get("headers") or {})}
        return super().open(*args, **kwargs)

    def _token(self) -> str:
        app = self.application
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        with self.session_transaction() as session:
            raw = session.setdefault(field, secrets.token_hex(20))
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


@pytest.fixture(scope="session")
def live_app(localstripe, tmp_path_factory):
    base = tmp_path_factory.mktemp("live")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{base / 'live.db'}", MEDIA_DIR=str(base / "media"),
        SEARCH_INDEX_DIR=str(base / "search"), STRIPE_API_BASE=localstripe,
        STRIPE_JS_URL=f"{localstripe}/js.stripe.com/v3/", PUBLIC_BASE_URL=url, WTF_CSRF_ENABLED=True,
    )
    app.test_client_class = TokenClient
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    result = app.test_cli_runner().invoke(args=["payments", "register-webhook"])
    assert result.exit_code == 0, result.output
    try:
        yield app
    finally:
        server.shutdown()
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app) -> str:
    return live_app.config["PUBLIC_BASE_URL"]


class Journey:
    """One test's people in the browser: each page is its own browser context (its own cookies)."""

    PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True,
             "has_touch": True}
    DESKTOP = {"viewport": {"width": 1280, "height": 900}}

    def __init__(self, app, browser):
        self.app, self.base = app, app.config["PUBLIC_BASE_URL"]
        self._browser = browser
        self.pages = []

    def page(self, phone: bool = True, **options):
        context = self._browser.new_context(**{**(self.PHONE if phone else self.DESKTOP), "locale": "id-ID",
                                               **options})
        context.set_default_timeout(15_000)
        page = context.new_page()
        self.pages.append(page)
        return page

    def log_in(self, page, email: str) -> None:
        log_in(page, self.base, email)

    def screenshots(self, name: str) -> None:
        directory, name = artifacts_dir(), re.sub(r"[^\w.-]+", "_", name)
        for n, page in enumerate(self.pages, 1):
            try:
                page.screenshot(path=str(directory / f"{name}-{n}.png"), full_page=True)
            except Exception:  # a closed page; the test's own failure matters more
                pass

    def close(self) -> None:
        for page in self.pages:
            page.context.close()


@pytest.fixture
def journey(live_app, browser, request):
    """Pages for the test's people on the live server; a failed test leaves a screenshot of each of them."""
    trip = Journey(live_app, browser)
    yield trip
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        trip.screenshots(request.node.name)
    trip.close()
