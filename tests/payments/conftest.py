"""Real payment plumbing for tests: localstripe as a subprocess on a free port, and the app served over real HTTP
(werkzeug in a thread, on a committed scratch SQLite database) so that localstripe's signed webhooks reach it."""

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from flask_migrate import upgrade
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.extensions import db as _db
from tests.payments.cod_transfer_fixtures import make_cart  # noqa: F401  (a fixture for the COD/transfer tests)


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


@pytest.fixture(scope="session")
def live_app(localstripe, tmp_path_factory):
    """The app on a file database, answering HTTP on a free port, with localstripe's webhook pointing at it."""
    base = tmp_path_factory.mktemp("live")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{base / 'live.db'}", MEDIA_DIR=str(base / "media"),
        SEARCH_INDEX_DIR=str(base / "search"), STRIPE_API_BASE=localstripe,
        STRIPE_JS_URL=f"{localstripe}/js.stripe.com/v3/", PUBLIC_BASE_URL=url,
    )
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
