"""Partner sync figures on the production path: PostgreSQL, Redis, real Celery worker processes, sandboxes over HTTP.

    .venv/bin/python bench/sync.py [--changes 200] [--listings 10000] [--rate 10] [--workers 1] [--skip-a|--skip-b]

(a) latency from a local stock change (commit) to the Shopee sandbox showing the new value, p50/p95/max over
    ``--changes`` changes made one after another (commit → outbox dispatch → push task → partner call);
(b) time to push ``--listings`` listings to a sandbox shop limited to ``--rate`` calls/s, beside the lower bound
    that limit sets (calls needed / rate), on Shopee (50 models per call) and TikTok Shop (100 SKUs per call).
(c) partner orders imported per second with 4 worker processes, by pushes and by the poller
    (``bench/sync_orders.py``, ``--orders``, ``--pull-rate``).
Needs PostgreSQL (BENCH_POSTGRES_URL) and Redis (BENCH_REDIS_URL) on this machine.
"""

import argparse
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.scratch import scratch_postgres  # noqa: E402
from sandboxes import credentials  # noqa: E402
from tests.channels.helpers import approve  # noqa: E402
from tests.sandbox_fixtures import SandboxProcess  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


class Sandbox:
    def __init__(self, platform: str, workdir: Path, rate: float):
        self.platform = platform
        self.process = SandboxProcess(platform, workdir, ["--rate-limit", str(rate)])
        self.base_url = self.process.base_url
        self.http = requests.Session()

    def ctl(self, method: str, path: str, payload=None, **kwargs):
        answer = self.http.request(method, f"{self.base_url}/_sandbox{path}", json=payload, timeout=30, **kwargs)
        answer.raise_for_status()
        return answer.json()

    def stock(self, shop_id) -> dict[str, int]:
        shown = {}
        for product in self.ctl("GET", f"/shops/{shop_id}/stock")["products"]:
            for unit in product.get("models") or product.get("skus"):
                shown[unit.get("model_sku") or unit.get("seller_sku")] = unit["stock"]
        return shown


def app_settings(url: str, instance: Path, sandboxes: dict) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-" + "s" * 40, "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_RESULT_BACKEND": None, "CELERY_TASK_ALWAYS_EAGER": False, "MAIL_BACKEND": "locmem",
            "SEARCH_INDEX_DIR": str(instance / "search"), "MEDIA_DIR": str(instance / "media"),
            "SHOPEE_BASE_URL": sandboxes["shopee"].base_url, "TIKTOK_BASE_URL": sandboxes["tiktok"].base_url,
            "CELERY_BROKER_TRANSPORT_OPTIONS": {"global_keyprefix": f"opop-bench-sync-{uuid.uuid4().hex[:8]}:"},
            "SEARCH_REFRESH_INTERVAL": 0}


def start_workers(settings: dict, instance: Path, count: int) -> list[subprocess.Popen]:
    env = {**os.environ, "OPOP_INSTANCE_DIR": str(instance), "OPOP_TEST_APP": json.dumps(settings)}
    workers = []
    for n in range(count):
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.channels.worker_entry", "worker", "-Q",
             "default,channel.push,search", "-c", "4", "-n", f"bench{n}@%h", "--loglevel=ERROR"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return workers


def connect(sandbox: Sandbox, koperasi, shop_id, owner_id: int):
    from marketplace.channels import services
    from marketplace.extensions import db

    url = services.authorise_url(koperasi, sandbox.platform, owner_id, "http://127.0.0.1:5000/cb")
    location = approve(sandbox.http, url, shop_id)
    args = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    account = services.connect_account(koperasi, sandbox.platform, owner_id, args)
    db.session.commit()
    return account


def seed_koperasi(name: str, nib: str, products: int, variants: int, stock: int):
    """A koperasi with products × variants (SKU P{p}-V{v}), stock set in one bulk statement per product."""
    from marketplace.accounts.models import User
    from marketplace.catalog import services as catalog
    from marketplace.catalog.models import ProductStatus
    from marketplace.extensions import db
    from marketplace.inventory.levels import set_stock_levels
    from marketplace.inventory.services import create_warehouse
    from tests.factories import verified_koperasi

    email = f"pemilik-{nib}@bench.opop.id"
    koperasi = verified_koperasi(name, "kab-jember", nib, owner_email=email)
    warehouse = create_warehouse(koperasi, "Gudang")
    db.session.commit()
    for p in range(products):
        product = catalog.create_product(koperasi, f"{name} produk {p}", status=ProductStatus.PUBLISHED)
        made = [catalog.add_variant(product, f"{nib[-3:]}P{p}-V{v}", 20000, 250, name=f"V{v}")
                for v in range(variants)]
        db.session.flush()
        set_stock_levels(koperasi.id, {(v.id, warehouse.id): stock for v in made})
        db.session.commit()
    owner_id = db.session.scalar(db.select(User.id).where(User.email == email))
    return koperasi, warehouse, owner_id


def partner_shop(sandbox: Sandbox, nib: str, products: int, variants: int):
    shop = sandbox.ctl("POST", "/shops", {"name": f"Bench {nib}"})
    for p in range(products):
        sandbox.ctl("POST", f"/shops/{shop['shop_id']}/products", {"name": f"Produk {p}", "variants": [
            {"name": f"V{v}", "sku": f"{nib[-3:]}P{p}-V{v}", "price": 20000, "stock": 0} for v in range(variants)]})
    return shop["shop_id"]


def wait_until_pushed(account_id: int, timeout: float) -> bool:
    from sqlalchemy import func, select

    from marketplace.channels.models import ChannelListing
    from marketplace.extensions import db

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        left = db.session.scalar(select(func.count(ChannelListing.id)).where(
            ChannelListing.account_id == account_id,
            (ChannelListing.push_requested > ChannelListing.push_done) | ChannelListing.last_pushed_value.is_(None)))
        if left == 0:
            return True
        time.sleep(0.05)
    return False


def part_a(sandbox: Sandbox, changes: int) -> None:
    from marketplace.catalog.models import Variant
    from marketplace.channels import services
    from marketplace.extensions import db
    from marketplace.inventory.models import Warehouse
    from marketplace.inventory.services import set_stock

    koperasi, warehouse, owner_id = seed_koperasi("Koppontren Latensi", "9120000000101", 1, 5, 30)
    shop_id = partner_shop(sandbox, "9120000000101", 1, 5)
    account = connect(sandbox, koperasi, shop_id, owner_id)
    services.import_listings(account)
    db.session.commit()
    from marketplace.channels.tasks import push_account

    push_account.apply_async(args=[account.id], queue="channel.push")
    assert wait_until_pushed(account.id, 60), "initial push did not finish"
    variants = list(db.session.scalars(db.select(Variant).where(Variant.koperasi_id == koperasi.id)))
    warehouse = db.session.get(Warehouse, warehouse.id)
    rng = random.Random(7)
    latencies, current = [], sandbox.stock(shop_id)
    for _ in range(changes):
        variant = rng.choice(variants)
        quantity = rng.choice([q for q in range(0, 60) if q != current[variant.sku]])
        set_stock(variant, warehouse, quantity)
        db.session.commit()
        started = time.perf_counter()
        while True:
            current = sandbox.stock(shop_id)
            if current[variant.sku] == quantity:
                latencies.append(time.perf_counter() - started)
                break
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"{variant.sku} never showed {quantity}")
            time.sleep(0.005)
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, math.ceil(p / 100 * len(latencies)) - 1)]  # noqa: E731
    print(f"(a) local change -> Shopee sandbox shows it, {changes} changes one after another: "
          f"p50 {pct(50) * 1000:.0f} ms, p95 {pct(95) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms "
          f"(target p95 <= 2000 ms)")


def part_b(sandbox: Sandbox, listings: int, rate: float, nib: str) -> None:
    from marketplace.channels import push, services
    from marketplace.channels.adapters import ADAPTERS
    from marketplace.channels.tasks import push_account
    from marketplace.extensions import db

    per_call = ADAPTERS[sandbox.platform][0].max_stock_batch
    sandbox_max = 50 if sandbox.platform == "shopee" else 100  # variants per partner product in the sandbox
    variants = min(per_call, sandbox_max)
    products = math.ceil(listings / variants)
    t0 = time.perf_counter()
    koperasi, _warehouse, owner_id = seed_koperasi(f"Koppontren {sandbox.platform}", nib, products, variants, 25)
    shop_id = partner_shop(sandbox, nib, products, variants)
    seeded = time.perf_counter() - t0
    account = connect(sandbox, koperasi, shop_id, owner_id)
    t1 = time.perf_counter()
    counts = services.import_listings(account)
    db.session.commit()
    imported = time.perf_counter() - t1
    first = sandbox.ctl("GET", "/requests", params={"since_id": 0})["total"]
    since = sandbox.ctl("GET", "/requests")["requests"][-1]["id"] if first else 0
    push.request_push(account_id=account.id, forget_last=True)
    db.session.commit()
    started = time.perf_counter()
    push_account.apply_async(args=[account.id], queue="channel.push")
    done = wait_until_pushed(account.id, 20 * products / rate + 120)
    elapsed = time.perf_counter() - started
    log = sandbox.ctl("GET", "/requests", params={"since_id": since})["requests"]
    stock_calls = [r for r in log if r["path"].endswith(("/update_stock", "/inventory/update"))]
    calls = len(stock_calls)
    span = stock_calls[-1]["ts"] - stock_calls[0]["ts"] if stock_calls else 0.0
    refused = sum(1 for r in log if r["status"] == 429)
    bound = products / rate
    shown = sandbox.stock(shop_id)
    wrong = sum(1 for value in shown.values() if value != 25)
    print(f"(b) {sandbox.platform}: {counts['total']} listings ({products} partner products x {variants}), "
          f"limit {rate:g} calls/s: pushed in {elapsed:.1f} s, lower bound {bound:.1f} s "
          f"({elapsed / bound:.2f}x, target <= 1.2x); {calls} stock calls, {refused} answered 429, "
          f"{wrong} listings wrong afterwards{'' if done else ', NOT FINISHED'}; first to last call {span:.1f} s, "
          f"bound for those calls {(calls - 1) / rate:.1f} s. "
          f"(seeding {seeded:.0f} s, reading the partner catalogue {imported:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (-c 4 each)")
    parser.add_argument("--skip-a", action="store_true")
    parser.add_argument("--skip-b", action="store_true")
    parser.add_argument("--skip-c", action="store_true")
    parser.add_argument("--orders", type=int, default=1000, help="(c) partner orders per path")
    parser.add_argument("--pull-rate", type=float, default=1000.0, help="(c) the shop's call budget, calls/s")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from marketplace import create_app

    with tempfile.TemporaryDirectory() as tmp, scratch_postgres() as url:
        work = Path(tmp)
        sandboxes = {p: Sandbox(p, work, args.rate) for p in ("shopee", "tiktok")}
        settings = app_settings(url, work / "instance", sandboxes)
        settings["CHANNEL_RATE_LIMITS"] = {"shopee": args.rate, "tiktok": args.rate}
        app = create_app("default", **settings)
        workers = []
        try:
            with app.app_context():
                upgrade()
                workers = start_workers(settings, work / "instance", args.workers)
                print(f"PostgreSQL + Redis, {args.workers} worker process(es) x 4, sandboxes at {args.rate:g} "
                      f"calls/s per shop; partner ids {credentials.SHOPEE_PARTNER_ID}/{credentials.TIKTOK_APP_KEY}")
                if not args.skip_a:
                    part_a(sandboxes["shopee"], args.changes)
                if not args.skip_b:
                    part_b(sandboxes["tiktok"], args.listings, args.rate, "9120000000202")
                    part_b(sandboxes["shopee"], args.listings, args.rate, "9120000000303")
                if not args.skip_c:
                    from bench.sync_orders import part_c

                    part_c(sandboxes["shopee"], settings, work / "instance", args.orders, 4, args.pull_rate)
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
            for sandbox in sandboxes.values():
                sandbox.process.stop()
            with app.app_context():
                from marketplace.extensions import db

                db.session.remove()
                db.engine.dispose()


if __name__ == "__main__":
    main()
