"""Each partner shop's call budget (calls per second), shared by every worker process on every machine.

A token bucket of depth one (GCRA: every call reserves the next free slot, ``1 / (0.95 × rate)`` after the
previous one), kept in Redis by one Lua script so that all workers draw from the same bucket and Redis's own
clock decides.
Calls are spaced evenly rather than sent in bursts: the platforms count calls in a sliding one-second window at
their end, where a burst followed by another at the window's edge would be refused; a small safety margin covers
the jitter between sending and arrival. Reserving (not polling) means no worker spins while it waits.

The ``limits`` library was tried first: it offers fixed and moving windows but no token bucket, and its moving
window let 11 calls land within one second at the sandbox (a 429 now and then). Without Redis (the embedded
default) the bucket lives in this process; if Redis goes away mid-run, calls fall back to it until Redis is back,
rather than stopping the sync."""

import hashlib
import logging
import threading
import time

from flask import Flask, current_app

log = logging.getLogger(__name__)
SAFETY = 0.95  # use 95 % of the partner's budget: arrival jitter on a busy machine

# KEYS[1] bucket; ARGV[1] seconds between calls. Returns the seconds to wait for the reserved slot.
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local keep = math.ceil((tat + interval - now) * 1000) + 1000
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', keep)
return tostring(tat - now)
"""


class LocalBucket:
    def __init__(self):
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def reserve(self, key: str, interval: float) -> float:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(key, 0.0))
            self._next[key] = slot + interval
            return slot - now


class CallBudget:
    def __init__(self, redis_url: str, namespace: str):
        self.namespace = namespace
        self.local = LocalBucket()
        self.redis = None
        if redis_url:
            import redis

            self.redis = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
            self._reserve = self.redis.register_script(RESERVE)
        self.waited = 0.0  # seconds this process spent waiting for budget (benchmarks read it)

    def _wait_for(self, key: str, interval: float) -> float:
        if self.redis is not None:
            try:
                return float(self._reserve(keys=[f"{self.namespace}:{key}"], args=[interval]))
            except Exception as error:  # noqa: BLE001  Redis down or restarting: keep going on the local bucket
                log.warning("call budget: Redis unavailable (%s), using this process's bucket", error)
        return self.local.reserve(key, interval)

    def acquire(self, key: str, per_second: float) -> float:
        """Waits for this call's slot in ``key``'s budget; returns the seconds waited."""
        wait = self._wait_for(key, 1.0 / (max(per_second, 0.01) * SAFETY))
        if wait > 0:
            time.sleep(wait)
            self.waited += wait
        return max(wait, 0.0)


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
