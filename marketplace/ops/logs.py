"""One JSON object per log line (what a log shipper indexes without parsing rules), each carrying the request id:
taken from a trusted proxy's ``X-Request-ID`` or made here, echoed in the response, and sent along in the headers
of every Celery task the request enqueues, so a task's lines share the id of the request that caused them."""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun
from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_current_id: ContextVar[str | None] = ContextVar("request_id", default=None)
log = logging.getLogger("marketplace.request")


def current_request_id() -> str | None:
    if has_request_context():
        return getattr(g, "request_id", None)
    return _current_id.get()


class JsonFormatter(logging.Formatter):
    _STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in self._STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _stamp_request_ids() -> None:
    """Every log record gets the request id current when it was made (not when a handler gets round to it)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "stamps_request_id", False):
        return

    def make(*args, **kwargs):
        record = factory(*args, **kwargs)
        record.request_id = current_request_id()
        return record

    make.stamps_request_id = True
    logging.setLogRecordFactory(make)


def init_logging(app: Flask) -> None:
    _stamp_request_ids()
    if app.config.get("LOG_FORMAT") == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        handler.formatter.converter = time.gmtime
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(app.config.get("LOG_LEVEL", "INFO"))

    @app.before_request
    def assign_request_id():
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = offered if _ACCEPTABLE_ID.match(offered) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        request_id = getattr(g, "request_id", None)
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        started = getattr(g, "request_started", None)
        if started is not None and request.endpoint not in ("static", "ops.metrics"):
            log.info("request", extra={"method": request.method, "path": request.path, "status": response.status_code,
                                       "endpoint": request.endpoint,
                                       "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
        return response


@before_task_publish.connect
def _send_request_id(headers=None, **_):
    request_id = current_request_id()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@task_prerun.connect
def _adopt_request_id(task=None, **_):
    """A worker merges custom message headers into the task's request; ``apply()`` keeps them under ``headers``."""
    found = None
    if task is not None:
        found = getattr(task.request, "request_id", None) or (getattr(task.request, "headers", None) or {}).get(
            "request_id")
    _current_id.set(found)


@task_postrun.connect
def _forget_request_id(**_):
    _current_id.set(None)
