"""End-to-end fixtures: the app served over real HTTP from a committed database (the browser is in
tests/browser.py)."""

import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.extensions import db


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    base = tmp_path_factory.mktemp("live")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{base / 'live.db'}",
                     MEDIA_DIR=str(base / "media"), WTF_CSRF_ENABLED=True)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with live_app.app_context():
        db.engine.dispose()
