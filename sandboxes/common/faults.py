"""Injected faults and per-shop rate limits. Rates are probabilities drawn from a seeded generator, so a rate of
1.0 or 0.0 is exact and anything between is repeatable for one seed."""

import random
import threading
import time
from collections import deque

from sandboxes.common.errors import BadInput


def _rate(value):
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise BadInput("must be a number from 0 to 1")
    return float(value)


def _count(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadInput("must be a whole number >= 0")
    return value


def _seconds(value):
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 120:
        raise BadInput("must be a number of seconds from 0 to 120")
    return float(value)


def _flag(value):
    if not isinstance(value, bool):
        raise BadInput("must be true or false")
    return value


FAULTS = {
    "error_rate": (_rate, 0.0),            # share of API calls answered with a 5xx
    "latency_ms": (_count, 0),             # added to every API call
    "timeout_rate": (_rate, 0.0),          # share of API calls that hang for timeout_seconds, then 504
    "timeout_seconds": (_seconds, 10.0),
    "rate_limit_burst": (_count, 0),       # the next N shop calls are refused with the platform's 429
    "drop_push_rate": (_rate, 0.0),        # pushes never sent (Shopee keeps them as lost messages)
    "duplicate_push_rate": (_rate, 0.0),   # a delivered push is sent once more with the same id
    "reorder_pushes": (_flag, False),      # pushes go out in swapped pairs
}


class Faults:
    def __init__(self, seed: int, duplicate_push_rate: float = 0.0, extra: dict | None = None,
                 aliases: dict | None = None):
        """`extra`: a platform's own faults, name -> (check, default); `aliases`: name -> (fault, convert), other
        words for a common fault (Midtrans' `drop_notifications: true` sets `drop_push_rate` to 1.0)."""
        self._seed = seed
        self._known = FAULTS | (extra or {})
        self._aliases = aliases or {}
        self._defaults = {name: default for name, (_check, default) in self._known.items()}
        self._defaults["duplicate_push_rate"] = duplicate_push_rate
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._values = dict(self._defaults)
            self._rng = random.Random(self._seed)

    def snapshot(self) -> dict:
        with self._lock:
            return dict(self._values)

    def update(self, changes) -> dict:
        if not isinstance(changes, dict):
            raise BadInput("expected a JSON object of fault settings")
        checked = {}
        for name, value in changes.items():
            if name not in self._known and name not in self._aliases:
                raise BadInput(f"unknown fault {name!r}; known: {', '.join([*self._known, *self._aliases])}")
            try:
                if name in self._aliases:
                    target, convert = self._aliases[name]
                    checked[target] = self._known[target][0](convert(value))
                else:
                    checked[name] = self._known[name][0](value)
            except BadInput as error:
                raise BadInput(f"{name} {error.message}") from None
        with self._lock:
            self._values.update(checked)
        return self.snapshot()

    def get(self, name: str):
        with self._lock:
            return self._values[name]

    def roll(self, name: str) -> bool:
        with self._lock:
            rate = self._values[name]
            return rate > 0 and self._rng.random() < rate

    def take_burst(self) -> bool:
        with self._lock:
            if self._values["rate_limit_burst"] > 0:
                self._values["rate_limit_burst"] -= 1
                return True
            return False


class RateLimiter:
    """A sliding one-second window per key (shop and API)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._calls: dict[tuple, deque] = {}

    def allow(self, key: tuple, per_second: float) -> bool:
        now = time.monotonic()
        with self._lock:
            calls = self._calls.setdefault(key, deque())
            while calls and calls[0] <= now - 1.0:
                calls.popleft()
            if len(calls) >= per_second:
                return False
            calls.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
