"""Prometheus metrics at /metrics: request latency by endpoint, Celery task outcomes, outbox depth and search index
age. Under gunicorn (several processes) set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by the web and
worker processes of one machine: each process writes its samples there and /metrics adds them up."""

import hmac
import os
import time
from pathlib import Path

from celery.signals import task_failure, task_retry, task_success
from flask import Flask, Response, abort, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUEST_LATENCY = Histogram(
    "opop_http_request_duration_seconds", "Time to answer a request, by endpoint.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
TASKS = Counter("opop_celery_tasks_total", "Celery tasks finished, by task and outcome.", ["task", "outcome"])


class _DatabaseCollector:
    """Read at scrape time from the database and disk, so every process reports the same current values."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        from marketplace.ops.health import outbox_depth, search_index_age

        with self.app.app_context():
            depth = GaugeMetricFamily("opop_outbox_unsent_events", "Outbox events committed but not yet sent.")
            depth.add_metric([], outbox_depth())
            yield depth
            yield from _channel_lag()
            age = search_index_age()
            if age is not None:
                index = GaugeMetricFamily("opop_search_index_age_seconds", "Seconds since the search index changed.")
                index.add_metric([], age)
                yield index


def _channel_lag():
    """Per partner account: listings whose newest stock change is not pushed yet, and how long since the last push
    (the lag a seller would see between a sale here and the partner's shop)."""
    from marketplace.ops.health import channel_sync_state

    dirty = GaugeMetricFamily("opop_channel_dirty_listings", "Listings with a stock change not yet pushed.",
                              labels=["account", "platform"])
    since = GaugeMetricFamily("opop_channel_seconds_since_push", "Seconds since the account's last stock push.",
                              labels=["account", "platform"])
    for account_id, platform, pending, seconds in channel_sync_state():
        dirty.add_metric([str(account_id), platform], pending)
        if seconds is not None:
            since.add_metric([str(account_id), platform], seconds)
    yield dirty
    yield since


def init_metrics(app: Flask) -> None:
    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def observe(response):
        started = getattr(g, "metrics_started", None)
        if started is not None:
            REQUEST_LATENCY.labels(request.endpoint or "unmatched", request.method,
                                   str(response.status_code)).observe(time.perf_counter() - started)
        return response

    database = _DatabaseCollector(app)

    @app.get("/metrics", endpoint="ops.metrics")
    def metrics():
        token = app.config.get("METRICS_TOKEN")
        if token and not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
            abort(404)  # the scraper knows the token; nobody else learns the endpoint exists
        registry = CollectorRegistry()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR") and Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).is_dir():
            MultiProcessCollector(registry)
        else:
            registry.register(REQUEST_LATENCY)
            registry.register(TASKS)
        registry.register(database)
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _task_name(sender) -> str:
    return getattr(sender, "name", None) or str(sender)


@task_success.connect
def _count_success(sender=None, **_):
    TASKS.labels(_task_name(sender), "success").inc()


@task_failure.connect
def _count_failure(sender=None, **_):
    TASKS.labels(_task_name(sender), "failure").inc()


@task_retry.connect
def _count_retry(sender=None, **_):
    TASKS.labels(_task_name(sender), "retry").inc()
