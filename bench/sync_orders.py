"""Part (c) of bench/sync.py: partner orders imported per second, on the production path — pushes signed as
Shopee signs them posted to our webhook endpoint (verify, store, enqueue), Redis, a Celery worker with 4 pool
processes on the ``channel.pull`` queue fetching each order from the Shopee sandbox over HTTP and importing it
into PostgreSQL (allocation through inventory, ledger, outbox). Then the same number of orders found by one poll
(pushes lost), which reads them 50 per detail call.

The shop's call budget is raised for this part (``--pull-rate``, default 1000 calls/s) so that the figure is our
import capacity; with Shopee's real per-shop limit the push path needs one detail call per order, so it cannot
import faster than that limit, while the poller needs one call per 50 orders.
"""

import hashlib
import hmac
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_pull_workers(settings: dict, instance: Path, concurrency: int) -> subprocess.Popen:
    env = {**os.environ, "OPOP_INSTANCE_DIR": str(instance), "OPOP_TEST_APP": json.dumps(settings)}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.channels.worker_entry", "worker", "-Q", "channel.pull",
         "-c", str(concurrency), "-n", "benchpull@%h", "--loglevel=ERROR", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _imported(external_ids: set[str] | None = None) -> int:
    from sqlalchemy import func, select

    from marketplace.extensions import db
    from marketplace.orders.models import PartnerOrder

    db.session.rollback()
    query = select(func.count()).select_from(PartnerOrder)
    if external_ids is not None:
        query = query.where(PartnerOrder.external_id.in_(external_ids))
    return db.session.scalar(query)


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _place(sandbox, shop_id, skus: list[str], count: int, start: int = 0) -> list[str]:
    ids = []
    for n in range(count):
        lines = [{"sku": skus[(start + n + k) % len(skus)], "quantity": 1 + (n + k) % 2} for k in range(1 + n % 3)]
        ids.append(sandbox.ctl("POST", f"/shops/{shop_id}/orders", {"lines": lines, "paid": True})["order_id"])
    return ids


def _signed_push(partner_key: str, url: str, body: dict) -> tuple[bytes, str]:
    raw = json.dumps(body, separators=(",", ":")).encode()
    return raw, hmac.new(partner_key.encode(), url.encode() + b"|" + raw, hashlib.sha256).hexdigest()


def _check(label: str, account_id: int, expected: int) -> None:
    from sqlalchemy import func, select

    from marketplace.extensions import db
    from marketplace.inventory.models import Stock
    from marketplace.inventory.queries import ledger_mismatches
    from marketplace.orders.models import Order, OrderLine, PartnerOrder

    db.session.rollback()
    orders = db.session.scalar(select(func.count()).select_from(PartnerOrder).where(PartnerOrder.account_id ==
                                                                                     account_id))
    units = db.session.scalar(select(func.coalesce(func.sum(OrderLine.quantity), 0)).join(Order)
                              .join(PartnerOrder).where(PartnerOrder.account_id == account_id))
    oversold = db.session.scalar(select(func.count()).select_from(Stock).where(
        Stock.quantity_allocated > Stock.quantity))
    print(f"    {label}: {orders} orders for {expected} placed (duplicates or losses: {abs(orders - expected)}), "
          f"{units} units allocated, rows oversold: {oversold}, ledger mismatches: {len(ledger_mismatches())}")


def part_c(sandbox, settings: dict, instance: Path, orders: int, concurrency: int, pull_rate: float,
           nib: str = "9120000000404") -> None:
    from bench.sync import connect, seed_koperasi
    from marketplace.channels.pull.tasks import QUEUE, poll_account
    from marketplace.core.timeutil import utcnow
    from marketplace.extensions import db
    from sandboxes import credentials

    print(f"(c) partner orders imported, Shopee sandbox, 1 worker x {concurrency} processes on channel.pull, "
          f"call budget {pull_rate:g}/s for this shop")
    koperasi, _warehouse, owner_id = seed_koperasi("Koperasi Pesanan Mitra", nib, 10, 5, 90_000)
    shop_id = sandbox.ctl("POST", "/shops", {"name": f"Bench {nib}", "rate_limit": 10_000})["shop_id"]
    for p in range(10):
        sandbox.ctl("POST", f"/shops/{shop_id}/products", {"name": f"Produk {p}", "variants": [
            {"name": f"V{v}", "sku": f"{nib[-3:]}P{p}-V{v}", "price": 20000, "stock": 90_000} for v in range(5)]})
    account = connect(sandbox, koperasi, shop_id, owner_id)
    account.order_watermark = utcnow()
    db.session.commit()
    skus = [f"{nib[-3:]}P{p}-V{v}" for p in range(10) for v in range(5)]
    sandbox.ctl("PUT", "/faults", {"drop_push_rate": 1.0})  # we deliver the pushes ourselves, timed
    sandbox.ctl("PUT", "/push-callback", {"url": "http://localhost/channels/shopee/webhook"})
    worker_settings = dict(settings, CHANNEL_RATE_LIMITS={"shopee": pull_rate, "tiktok": pull_rate})
    worker = start_pull_workers(worker_settings, instance, concurrency)
    try:
        warm = _place(sandbox, shop_id, skus, 1, start=0)
        client = _app_client()
        _post_lost(sandbox, client, credentials.SHOPEE_PARTNER_KEY)
        if not _wait(lambda: _imported(set(warm)) == 1, 60):
            print("    the pull worker did not start")
            return
        ids = _place(sandbox, shop_id, skus, orders, start=1)
        started = time.monotonic()
        answers = _post_lost(sandbox, client, credentials.SHOPEE_PARTNER_KEY)
        posted = time.monotonic() - started
        done = _wait(lambda: _imported(set(ids)) == orders, 600)
        elapsed = time.monotonic() - started
        db.session.rollback()
        lags = [(p.imported_at - e).total_seconds() for p, e in db.session.execute(
            _lag_query(ids)).all()]
        print(f"    push path: {orders} orders in {elapsed:.1f} s = {orders / elapsed:.1f} orders/s "
              f"({'all imported' if done else 'NOT all imported'}); webhook answers p50/p95 "
              f"{_ms(answers, 50)}/{_ms(answers, 95)} ms, {orders} posted in {posted:.1f} s; push→order "
              f"p50/p95 {statistics.median(lags):.2f}/{_pct(lags, 95):.2f} s")
        _check("push path", account.id, orders + 1)

        lost = _place(sandbox, shop_id, skus, orders, start=7)
        started = time.monotonic()
        poll_account.apply_async((account.id,), queue=QUEUE)
        done = _wait(lambda: _imported(set(lost)) == orders, 600)
        elapsed = time.monotonic() - started
        print(f"    poll path (pushes lost): {orders} orders in {elapsed:.1f} s = {orders / elapsed:.1f} orders/s "
              f"({'all imported' if done else 'NOT all imported'}; one task, 50 orders per detail call)")
        _check("both paths", account.id, 2 * orders + 1)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        sandbox.ctl("PUT", "/faults", {"drop_push_rate": 0.0})


def _app_client():
    from flask import current_app

    return current_app.test_client()


_POSTED: set[int] = set()


def _post_lost(sandbox, client, partner_key: str) -> list[float]:
    """Posts every push the sandbox could not deliver (not posted before), signed for our webhook URL as Shopee
    signs; returns the answer times (s)."""
    url = "http://localhost/channels/shopee/webhook"
    times = []
    for push in sandbox.ctl("GET", "/pushes", params={"state": "lost"})["pushes"]:
        if push["id"] in _POSTED:
            continue
        _POSTED.add(push["id"])
        raw, signature = _signed_push(partner_key, url, push["body"])
        sent = time.monotonic()
        answer = client.post("/channels/shopee/webhook", data=raw, headers={"Authorization": signature},
                             content_type="application/json")
        times.append(time.monotonic() - sent)
        answer.close()  # as the WSGI server does once the answer is out: the enqueue runs now
        if answer.status_code != 200:
            raise RuntimeError(f"webhook answered {answer.status_code}: {answer.get_data(as_text=True)[:200]}")
    return times


def _lag_query(ids: list[str]):
    from sqlalchemy import select

    from marketplace.channels.pull.models import ChannelEvent
    from marketplace.orders.models import PartnerOrder

    return (select(PartnerOrder, ChannelEvent.received_at)
            .join(ChannelEvent, ChannelEvent.external_order_id == PartnerOrder.external_id)
            .where(PartnerOrder.external_id.in_(ids)))


def _pct(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] if ordered else float("nan")


def _ms(values: list[float], pct: int) -> str:
    return f"{_pct(values, pct) * 1000:.0f}"
