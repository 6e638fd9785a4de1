"""Scale-out and crashes, on real PostgreSQL, real Redis and real worker processes against the Shopee sandbox:
two worker processes with -c 4 each push a burst of local changes exactly (and together stay inside the shop's
call budget); a worker killed with SIGKILL in the middle of a batch leaves nothing wrong once another takes over."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.channels import services
from marketplace.channels.models import ChannelListing
from marketplace.channels.rules import target_values
from marketplace.extensions import db
from marketplace.inventory.services import create_warehouse, set_stock
from tests.channels.helpers import approve
from tests.factories import verified_koperasi
from tests.services import REDIS_URL, redis_worker_app

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
MODELS = 20  # per item; two items


@pytest.fixture
def scene(tmp_path, shopee_sandbox):
    settings = {"SHOPEE_BASE_URL": shopee_sandbox.base_url, "CHANNEL_RETRY_WAIT": 0.05, "CHANNEL_RETRY_WAIT_MAX": 0.5,
                "CHANNEL_PUSH_ATTEMPTS": 10, "CHANNEL_LEASE_SECONDS": 3, "CHANNEL_PUSH_SWEEP_SECONDS": 1.0}
    with redis_worker_app(tmp_path, "channels", **settings) as app:
        koperasi = verified_koperasi("Koppontren Sidogiri", "kab-pasuruan", "9120000000777",
                                     owner_email="pemilik@sidogiri.opop.id")
        warehouse = create_warehouse(koperasi, "Gudang Pondok")
        shop = shopee_sandbox.ctl("POST", "/shops", {"name": "Sidogiri Store", "rate_limit": 10})
        variants = []
        for item in range(2):
            product = catalog.create_product(koperasi, f"Kopi Sidogiri {item}", status=ProductStatus.PUBLISHED)
            partner = {"name": product.name, "variants": []}
            for model in range(MODELS):
                sku = f"KS-{item}-{model:02d}"
                variant = catalog.add_variant(product, sku, 30000, 250, name=f"Varian {model}")
                set_stock(variant, warehouse, 50)
                variants.append(variant)
                partner["variants"].append({"name": sku, "sku": sku, "price": 30000, "stock": 0})
            shopee_sandbox.ctl("POST", f"/shops/{shop['shop_id']}/products", partner)
        db.session.commit()
        from marketplace.accounts.models import User

        owner_id = db.session.scalar(select(User.id).where(User.email == "pemilik@sidogiri.opop.id"))
        url = services.authorise_url(koperasi, "shopee", owner_id, "http://127.0.0.1:5000/channels/shopee/callback")
        location = approve(shopee_sandbox.http, url, shop["shop_id"])
        args = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
        account = services.connect_account(koperasi, "shopee", owner_id, args)
        db.session.commit()
        services.import_listings(account)
        db.session.commit()
        env = {**os.environ, "OPOP_INSTANCE_DIR": str(tmp_path / "instance"), "OPOP_TEST_APP": json.dumps({
            **settings, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": app.config["SECRET_KEY"],
            "CELERY_BROKER_URL": REDIS_URL, "CELERY_RESULT_BACKEND": None, "MAIL_BACKEND": "locmem",
            "SEARCH_INDEX_DIR": str(tmp_path / "search"), "CELERY_BROKER_TRANSPORT_OPTIONS":
                app.config["CELERY_BROKER_TRANSPORT_OPTIONS"]})}
        workers: list[subprocess.Popen] = []
        logs: list = []

        def start(name: str, beat: bool = False) -> subprocess.Popen:
            command = [sys.executable, "-m", "celery", "-A", "tests.channels.worker_entry", "worker", "-Q",
                       "default,channel.push", "-c", "4", "-n", f"{name}@%h", "--loglevel=WARNING",
                       *(["-B", "-s", str(tmp_path / f"beat-{name}")] if beat else [])]
            log = (tmp_path / f"{name}.log").open("w")
            process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=log,
                                       stderr=subprocess.STDOUT)
            workers.append(process)
            logs.append(log)
            return process

        yield app, shopee_sandbox, shop, account.id, warehouse.id, [v.id for v in variants], start
        for process in workers:  # the test is over: no need to wait for a warm shutdown
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in logs:
            log.close()


def _change(warehouse_id: int, variant_ids: list[int], rounds: int, seed: int) -> int:
    import random

    from marketplace.catalog.models import Variant
    from marketplace.inventory.models import Warehouse

    rng = random.Random(seed)
    warehouse = db.session.get(Warehouse, warehouse_id)
    changes = 0
    for _ in range(rounds):
        for variant_id in rng.sample(variant_ids, 5):
            set_stock(db.session.get(Variant, variant_id), warehouse, rng.randint(0, 80))
            changes += 1
        db.session.commit()  # after-commit: the outbox dispatch goes to Redis, the workers do the rest
    return changes


def _converged(sandbox, shop_id, account_id: int, seconds: float) -> tuple[bool, dict, dict]:
    deadline = time.monotonic() + seconds
    while True:
        db.session.rollback()
        listings = list(db.session.scalars(select(ChannelListing).where(ChannelListing.account_id == account_id)))
        expected = {listing.partner_sku: value for listing in listings
                    for lid, value in target_values(listings, listing.account).items() if lid == listing.id}
        shown = {}
        for product in sandbox.ctl("GET", f"/shops/{shop_id}/stock")["products"]:
            shown |= {m["model_sku"]: m["stock"] for m in product["models"]}
        dirty = any(listing.is_dirty for listing in listings)
        if (shown == expected and not dirty) or time.monotonic() > deadline:
            return shown == expected and not dirty, shown, expected
        time.sleep(0.2)


def test_two_worker_processes_with_four_threads_push_exactly(scene):
    app, sandbox, shop, account_id, warehouse_id, variant_ids, start = scene
    start("w1")
    start("w2")
    since = sandbox.requests_log()["requests"][-1]["id"] if sandbox.requests_log()["total"] else 0
    changes = _change(warehouse_id, variant_ids, rounds=30, seed=1)
    ok, shown, expected = _converged(sandbox, shop["shop_id"], account_id, 60)
    assert ok, {sku: (shown.get(sku), value) for sku, value in expected.items() if shown.get(sku) != value}
    log = sandbox.requests_log(since_id=since)["requests"]
    pushes = [r for r in log if r["path"].endswith("/update_stock")]
    assert len(pushes) < changes  # coalesced
    assert sum(1 for r in log if r["status"] == 429) <= 2  # two processes together stay inside 10 calls/s


def test_a_worker_killed_mid_batch_still_converges(scene):
    app, sandbox, shop, account_id, warehouse_id, variant_ids, start = scene
    sandbox.ctl("PUT", "/faults", {"latency_ms": 400})  # each stock call takes a while: the kill lands mid-batch
    victim = start("victim")
    since = sandbox.requests_log()["total"] and sandbox.requests_log()["requests"][-1]["id"]
    _change(warehouse_id, variant_ids, rounds=6, seed=2)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if any(r["path"].endswith("/update_stock") for r in sandbox.requests_log(since_id=since)["requests"]):
            break
        time.sleep(0.05)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    _change(warehouse_id, variant_ids, rounds=3, seed=3)  # changes while nobody is there
    sandbox.ctl("PUT", "/faults", {"latency_ms": 0})
    start("rescuer", beat=True)  # the sweep finds what the dead worker left dirty once its lease ran out
    ok, shown, expected = _converged(sandbox, shop["shop_id"], account_id, 60)
    assert ok, {sku: (shown.get(sku), value) for sku, value in expected.items() if shown.get(sku) != value}
