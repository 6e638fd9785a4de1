"""The per-shop call budget: calls are spaced evenly at the configured rate, the spacing holds across processes
sharing Redis, and a Redis that is down does not stop the sync (the process's own bucket takes over)."""

import time
import uuid

from marketplace.channels.ratelimit import CallBudget
from tests.services import REDIS_URL, require_redis


def _spread(budgets: list[CallBudget], key: str, calls: int, rate: float) -> float:
    started = time.monotonic()
    for n in range(calls):
        budgets[n % len(budgets)].acquire(key, rate)
    return time.monotonic() - started


def test_calls_are_spaced_at_the_rate_in_one_process():
    elapsed = _spread([CallBudget("", "t")], "shop", 21, 200)
    assert elapsed >= 20 / 200 * 0.99  # 20 gaps of at least 1/200 s (the first call goes at once)


def test_two_processes_sharing_redis_share_one_budget():
    require_redis()
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    first, second = CallBudget(REDIS_URL, namespace), CallBudget(REDIS_URL, namespace)
    elapsed = _spread([first, second], "shop", 21, 200)
    assert elapsed >= 20 / 200 * 0.99  # alternating instances still wait for each other's slots
    other = CallBudget(REDIS_URL, namespace)
    started = time.monotonic()
    other.acquire("another-shop", 200)
    assert time.monotonic() - started < 0.05  # another shop's budget is its own


def test_redis_down_falls_back_to_the_local_bucket():
    budget = CallBudget("redis://127.0.0.1:1/0", "down")
    started = time.monotonic()
    for _ in range(3):
        budget.acquire("shop", 100)
    assert time.monotonic() - started < 5
