"""gunicorn settings for the production web process: `gunicorn -c gunicorn.conf.py "marketplace:create_app()"`.

Every value can be overridden from the environment (WEB_CONCURRENCY, PORT, ...). Sync workers: the app does its
waiting on PostgreSQL and Stripe, each request is short, and a sync worker cannot hold a lock across requests."""

import os
import shutil
from pathlib import Path

bind = f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))  # recycle workers: bounded memory over days
max_requests_jitter = 200
preload_app = False  # each worker opens its own database pool and search index reader
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")  # the load balancer's address(es)
accesslog = None  # the app logs every request as JSON with its request id (marketplace/ops/logs.py)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
limit_request_line = 8190
limit_request_fields = 100


def on_starting(server):
    """Prometheus multiprocess mode: start from an empty sample directory (stale files would add old counts)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
