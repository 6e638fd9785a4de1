"""The order pull on the production path — real Celery workers in their own processes, Redis, PostgreSQL, the
sandbox over HTTP — through the faults that lose work elsewhere: a worker SIGKILLed mid-batch, and Redis
restarted (empty) mid-run. Afterwards every partner order exists exactly once and no unit is oversold."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.channels.models import ChannelAccount
from marketplace.channels.pull import tasks
from marketplace.extensions import db
from marketplace.inventory.models import Stock
from marketplace.inventory.queries import ledger_mismatches
from marketplace.inventory.services import set_stock
from marketplace.orders.models import PartnerOrder
from tests.channels.pull.conftest import connect_shop, place
from tests.factories import verified_koperasi
from tests.services import REDIS_URL, require_redis, scratch_postgres_database
from tests.stock_fixtures import warehouse_of

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def pull_app(broker_url: str, sandbox_urls: dict):
    with scratch_postgres_database() as url:
        settings = {"SQLALCHEMY_DATABASE_URI": url, "CELERY_TASK_ALWAYS_EAGER": False, "CELERY_BROKER_URL": broker_url,
                    "CELERY_RESULT_BACKEND": None,
                    "CELERY_BROKER_TRANSPORT_OPTIONS": {"global_keyprefix": f"opop-pull-{uuid.uuid4().hex[:8]}:"},
                    "SHOPEE_BASE_URL": sandbox_urls["shopee"], "TIKTOK_BASE_URL": sandbox_urls["tiktok"],
                    "CHANNEL_RETRY_WAIT": 0.05, "CHANNEL_RETRY_WAIT_MAX": 0.5, "CHANNEL_HTTP_TIMEOUT": 3,
                    "CHANNEL_PULL_EVENT_GRACE_SECONDS": 1}
        app = create_app("testing", **settings)
        app.config["PULL_SETTINGS"] = settings
        with app.app_context():
            upgrade()
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


class Worker:
    def __init__(self, app):
        settings = dict(app.config["PULL_SETTINGS"], WORKER_NAME=f"pull-{uuid.uuid4().hex[:6]}")
        self.process = subprocess.Popen([sys.executable, "-m", "tests.channels.pull.run_worker", json.dumps(settings)],
                                        cwd=ROOT, start_new_session=True)

    def kill(self) -> None:
        """SIGKILL to the whole group: the pool's children die mid-task with their parent."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def _shop(sandbox, stock: int):
    koperasi = verified_koperasi(f"Koperasi {uuid.uuid4().hex[:6]}", "kab-jombang",
                                 f"{8000000000000 + uuid.uuid4().int % 10**9}", legal_entity_number="AHU-W")
    product = catalog.create_product(koperasi, "Madu Hutan", status=ProductStatus.PUBLISHED)
    variant = catalog.add_variant(product, f"MADU-{uuid.uuid4().hex[:6]}", 90000, 500, name="500 ml")
    set_stock(variant, warehouse_of(koperasi), stock)
    db.session.commit()
    return connect_shop(sandbox, sandbox.platform, product, (stock,))


def _count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(PartnerOrder))


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _check(variant_id: int, units: int, expected_ids: list[str]) -> None:
    db.session.rollback()
    ids = list(db.session.scalars(select(PartnerOrder.external_id)))
    assert sorted(ids) == sorted(expected_ids)  # none lost, none twice (the unique key would refuse a twin anyway)
    stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant_id))
    assert stock.quantity_allocated == units and stock.quantity_allocated <= stock.quantity
    assert ledger_mismatches() == []


def test_worker_killed_mid_batch_then_the_next_poll_finishes_the_job(shopee_sandbox, tiktok_sandbox):
    require_redis()
    with pull_app(REDIS_URL, {"shopee": shopee_sandbox.base_url, "tiktok": tiktok_sandbox.base_url}) as app:
        shop = _shop(shopee_sandbox, stock=500)
        shopee_sandbox.ctl("PUT", "/faults", {"drop_push_rate": 1.0})
        ids = [place(shop, {shop.variants[0].sku: 1}) for _ in range(150)]
        watermark = shop.account.order_watermark
        shopee_sandbox.ctl("PUT", "/faults", {"latency_ms": 40})  # slow enough to die with work half done
        tasks.poll_account.apply_async((shop.account.id,), queue=tasks.QUEUE)
        worker = Worker(app)
        try:
            assert _wait(lambda: _count() >= 50, 90), "the worker never started importing"
            worker.kill()
        finally:
            worker.stop()
        done_before = _count()
        assert 50 <= done_before < 150
        db.session.rollback()
        assert db.session.get(ChannelAccount, shop.account.id).order_watermark == watermark  # not advanced
        shopee_sandbox.ctl("PUT", "/faults", {"latency_ms": 0})
        worker = Worker(app)
        try:
            tasks.sweep.apply_async(queue=tasks.QUEUE)  # what beat does every minute
            assert _wait(lambda: _count() == 150 and db.session.get(ChannelAccount, shop.account.id)
                         .order_watermark != watermark, 90)
        finally:
            worker.stop()
        print(f"killed after {done_before} of 150 imports; the next poll imported the rest")
        _check(shop.variants[0].id, 150, ids)


@contextmanager
def own_redis(port: int):
    """A redis-server of our own (the shared one is left alone), without persistence: a restart empties it."""
    process = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
                                "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL)
    assert _wait(lambda: _reachable(port), 10)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_redis_restarted_mid_run_loses_no_order(shopee_sandbox, tiktok_sandbox, push_receiver):
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode:
        pytest.skip("redis-server is not installed")
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    with own_redis(port) as redis_process, \
            pull_app(broker, {"shopee": shopee_sandbox.base_url, "tiktok": tiktok_sandbox.base_url}) as app:
        shop = _shop(tiktok_sandbox, stock=100)
        tiktok_sandbox.ctl("PUT", "/push-callback", {"url": f"http://127.0.0.1:{push_receiver.server.server_port}"
                                                            "/channels/tiktok/webhook"})
        client = app.test_client()
        worker = Worker(app)
        try:
            ids, started, slowest = [], time.monotonic(), [0.0]

            def mark(what):
                print(f"{time.monotonic() - started:6.1f}s {what}")

            def deliver(pushes):
                for push in pushes:
                    sent = time.monotonic()
                    answer = client.post("/channels/tiktok/webhook", data=push["raw"],
                                         headers={"Authorization": push["headers"]["Authorization"]},
                                         content_type="application/json",
                                         base_url=f"http://{push['headers']['Host']}")
                    assert answer.status_code == 200  # answered even while the broker is gone
                    slowest[0] = max(slowest[0], time.monotonic() - sent)
                    answer.close()  # as a WSGI server does once the answer is sent: the enqueue runs then

            for _ in range(10):
                ids.append(place(shop, {shop.variants[0].sku: 1}))
            deliver(push_receiver.wait_for(10))
            mark("10 pushes delivered")
            assert _wait(lambda: _count() >= 1, 60), "the worker never started importing"
            mark("importing")
            redis_process.kill()  # Redis dies with whatever was queued
            redis_process.wait()
            for _ in range(10):
                ids.append(place(shop, {shop.variants[0].sku: 1}))
            deliver(push_receiver.wait_for(20)[10:])  # stored, not enqueued
            mark("10 more stored while Redis was down")
            with own_redis(port):  # back, empty
                time.sleep(1)  # past the grace period in which an event's own task should have run
                tasks.sweep.apply_async(queue=tasks.QUEUE)
                assert _wait(lambda: _count() == 20, 90), _count()
                mark(f"all 20 imported; slowest webhook answer {slowest[0] * 1000:.0f} ms")
        finally:
            worker.stop()
        assert slowest[0] < 2.5  # TikTok waits 3 s
        _check(shop.variants[0].id, 20, ids)
