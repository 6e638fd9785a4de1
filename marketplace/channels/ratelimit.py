"""Each partner shop's call budget (calls per second), shared by every worker process on every machine.

A moving one-second window kept in Redis (the ``limits`` library's Lua-backed moving window), the same shape as
the platforms' own limiters, so workers together never exceed it. Without Redis (the embedded default) the window
lives in this process; if Redis goes away mid-run, calls fall back to the in-process window until it is back,
rather than stopping the sync."""

import hashlib
import logging
import math
import threading
import time

from flask import Flask, current_app
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


class CallBudget:
    def __init__(self, redis_url: str, namespace: str):
        self.namespace = namespace
        self.local = MovingWindowRateLimiter(MemoryStorage())
        self.shared = MovingWindowRateLimiter(storage_from_string(redis_url)) if redis_url else None
        self.waited = 0.0  # seconds this process spent waiting for budget (benchmarks read it)
        self._lock = threading.Lock()

    def _hit(self, item, key: str) -> tuple[bool, float]:
        limiter = self.shared or self.local
        try:
            if limiter.hit(item, self.namespace, key):
                return True, 0.0
            return False, limiter.get_window_stats(item, self.namespace, key).reset_time - time.time()
        except Exception as error:  # noqa: BLE001  Redis down or restarting: keep going on the local window
            if limiter is self.local:
                raise
            log.warning("call budget: shared limiter unavailable (%s), using this process's window", error)
            if self.local.hit(item, self.namespace, key):
                return True, 0.0
            return False, self.local.get_window_stats(item, self.namespace, key).reset_time - time.time()

    def acquire(self, key: str, per_second: float, timeout: float = 60.0) -> float:
        """Waits until a call for ``key`` fits in its budget; returns the seconds waited."""
        item = RateLimitItemPerSecond(max(1, math.floor(per_second)), 1)
        started = time.monotonic()
        while True:
            allowed, wait = self._hit(item, key)
            if allowed:
                waited = time.monotonic() - started
                with self._lock:
                    self.waited += waited
                return waited
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"no call budget for {key} within {timeout} s")
            time.sleep(min(1.0, max(0.002, wait)))


def call_budget(app: Flask | None = None) -> CallBudget:
    app = app or current_app._get_current_object()
    budget = app.extensions.get("channels_budget")
    if budget is None:
        url = app.config.get("CHANNEL_RATE_LIMIT_REDIS_URL") or ""
        broker = app.config.get("CELERY_BROKER_URL") or ""
        if not url and broker.startswith(("redis://", "rediss://")):
            url = broker
        # Keys of two databases sharing one Redis (tests, staging) never mix: account ids are per database.
        namespace = "opop-channels-" + hashlib.sha1(app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:10]
        budget = app.extensions["channels_budget"] = CallBudget(url, namespace)
    return budget
