"""The sandbox process: a Flask app around one store, fault injector, rate limiter and push worker, plus the
hooks every API call goes through (injected faults, the request log) and `serve()` for `python -m`."""

import signal
import sys
import time
from dataclasses import replace

from flask import Flask, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import make_server

from sandboxes.common.errors import ApiError, BadInput
from sandboxes.common.faults import Faults, RateLimiter
from sandboxes.common.pushes import PushWorker
from sandboxes.common.settings import Settings, parse_settings
from sandboxes.common.storage import Store

CONTROL_PREFIX = "/_sandbox"


class Sandbox:
    """Everything one process holds; views reach it as `current_app.extensions["sandbox"]`."""

    def __init__(self, platform, settings: Settings):
        self.platform = platform
        self.base_settings = settings
        self.settings = settings
        self.store = Store(settings.db, getattr(platform, "schema", ""), getattr(platform, "tables", ()))
        self.faults = Faults(settings.seed, settings.duplicate_push_rate, getattr(platform, "extra_faults", None),
                             getattr(platform, "fault_aliases", None))
        self.limiter = RateLimiter()
        self.pushes = PushWorker(self)

    def reset(self) -> None:
        self.store.reset()
        self.faults.reset()
        self.limiter.reset()
        self.settings = self.base_settings

    def adjust(self, changes: dict) -> None:
        self.settings = replace(self.settings, **changes)

    def check_rate(self, shop: dict, api: str) -> None:
        """Refuses with the platform's 429 when the shop spent its budget for this API (or a burst is injected)."""
        per_second = shop["rate_limit"] or self.settings.rate_limit
        if self.faults.take_burst() or not self.limiter.allow((shop["id"], api), per_second):
            raise ApiError("rate_limit", "too many requests, slow down")

    def log_request(self, status: int) -> None:
        rule = request.url_rule.rule if request.url_rule else request.path
        with self.store.tx() as conn:
            conn.execute("INSERT INTO requests (ts, method, path, api, shop, status, error, duration_ms) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (time.time(), request.method, request.path, rule, g.get("shop_ext"), status,
                          g.get("error_kind"), (time.perf_counter() - g.started) * 1000))


def _is_api(path: str) -> bool:
    """Faults and the request log touch the platform's API only, never the control API or the readable pages
    (a platform lists its own pages in `page_prefixes`)."""
    pages = getattr(current_app.extensions["sandbox"].platform, "page_prefixes", ())
    return not (path.startswith(CONTROL_PREFIX) or path == "/" or path.startswith("/shop/")
                or path.startswith("/static/") or path.startswith(pages))


def create_app(platform, settings: Settings, start_worker: bool = True) -> Flask:
    app = Flask(f"sandboxes.{platform.name}")
    app.json.sort_keys = False
    sb = Sandbox(platform, settings)
    app.extensions["sandbox"] = sb

    @app.before_request
    def inject_faults():
        g.started = time.perf_counter()
        if not _is_api(request.path):
            return None
        faults = sb.faults
        if faults.get("latency_ms"):
            time.sleep(faults.get("latency_ms") / 1000)
        if faults.roll("timeout_rate"):
            time.sleep(faults.get("timeout_seconds"))
            raise ApiError("timeout", "upstream timed out")
        if faults.roll("error_rate"):
            raise ApiError("server", "internal server error (injected)")
        return None

    @app.after_request
    def log(response):
        if _is_api(request.path):
            sb.log_request(response.status_code)
        return response

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        g.error_kind = error.kind
        return platform.error_response(error)

    @app.errorhandler(BadInput)
    def bad_input(error: BadInput):
        return jsonify(error=error.message), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _is_api(request.path):
            g.error_kind = "not_found" if error.code == 404 else "param"
            return platform.error_response(ApiError(g.error_kind, error.description or error.name),
                                           status=error.code)
        return jsonify(error=error.description or error.name), error.code

    from sandboxes.common.control import control
    from sandboxes.common.pages import pages

    app.register_blueprint(control)
    app.register_blueprint(pages)
    platform.register(app)
    if start_worker:
        sb.pushes.start()
    return app


def serve(platform, defaults: Settings, argv: list[str] | None = None) -> None:
    settings = parse_settings(defaults, argv)
    app = create_app(platform, settings)
    server = make_server(settings.host, settings.port, app, threaded=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"{platform.title} sandbox on http://{settings.host}:{server.port} (db {settings.db})", flush=True)
    try:
        server.serve_forever()
    finally:
        app.extensions["sandbox"].pushes.stop()
