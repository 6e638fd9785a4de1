"""Storefront load benchmark: gunicorn on PostgreSQL, wrk at 32 connections, home/category/product pages.

    .venv/bin/python bench/storefront.py [--duration 15] [--workers 4] [--connections 32] [--churn-rate 10]

Builds a scratch PostgreSQL database with the demo (44 koperasi, 440 products), serves it with gunicorn (sync
workers, production profile, page cache in Redis as in production), and prints req/s, p50 and p99 per page and the
gunicorn workers' CPU ms per request: first with the page cache off (every request renders: the first visit), then
on, then on while a separate process changes stock of *other* products through the inventory services at
``--churn-rate`` changes a second. Needs `wrk` (Debian package `wrk`) and Redis at 127.0.0.1:6379 (REDIS_URL).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import sqlalchemy as sa
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import scratch_postgres  # noqa: E402

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_database(url: str, instance: Path) -> dict:
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.catalog.models import Category, Product, ProductStatus
    from marketplace.demo.seed import seed_demo
    from marketplace.extensions import db

    app = create_app("default", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=str(instance / "media"))
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        product = db.session.scalar(sa.select(Product.slug).where(Product.status == ProductStatus.PUBLISHED)
                                    .order_by(Product.id))
        category = db.session.scalar(sa.select(Category.slug).where(Category.parent_id.is_(None))
                                     .order_by(Category.position))
        db.engine.dispose()
    return {"product": f"/produk/{product}", "home": "/", "category": f"/kategori/{category}"}


def wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50"), "p99": ms("99"),
            "non2xx": int(errors.group(1)) if errors else 0,
            "requests": int(re.search(r"(\d+) requests in", out).group(1))}


def worker_cpu_seconds(master_pid: int) -> float:
    """User + system CPU of the gunicorn master's children (the workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # ppid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def serve(url: str, instance: Path, workers: int, page_cache: bool) -> subprocess.Popen:
    port = free_port()
    env = {**os.environ, "OPOP_CONFIG": "production", "DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40,
           "MEDIA_DIR": str(instance / "media"), "OPOP_INSTANCE_DIR": str(instance),
           "PAGE_CACHE_ENABLED": "1" if page_cache else "0", "SESSION_COOKIE_SECURE": "0",
           # the production profile refuses to start without live-looking payment settings; none is called here
           "STRIPE_SECRET_KEY": "sk_live_bench_unused", "STRIPE_WEBHOOK_SECRET": "whsec_bench_" + uuid.uuid4().hex,
           "CHANNEL_CREDENTIALS_KEY": Fernet.generate_key().decode(),
           "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": f"bench-{uuid.uuid4().hex}:"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level",
         "warning", "marketplace:create_app()"], cwd=ROOT, env=env)
    server.base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(server.base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server


def churn(url: str, rate: float, skip_slug: str) -> None:
    """Changes stock of other products through the inventory services, ``rate`` commits a second, until stopped;
    prints how many it made. Quantities go up and down by one, as sales and restocking do."""
    from marketplace import create_app
    from marketplace.catalog.models import Product, Variant
    from marketplace.extensions import db
    from marketplace.inventory.models import Stock, Warehouse
    from marketplace.inventory.services import adjust_stock

    app = create_app("default", SQLALCHEMY_DATABASE_URI=url, CELERY_TASK_ALWAYS_EAGER=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    done, started = 0, time.perf_counter()
    with app.app_context():
        pairs = db.session.execute(
            sa.select(Stock.variant_id, Stock.warehouse_id).join(Variant).join(Product)
            .where(Product.slug != skip_slug, Stock.quantity > 2).order_by(Stock.id)).all()
        while not stop:
            variant_id, warehouse_id = pairs[done % len(pairs)]
            adjust_stock(db.session.get(Variant, variant_id), db.session.get(Warehouse, warehouse_id),
                         -1 if (done // len(pairs)) % 2 == 0 else 1)
            db.session.commit()
            done += 1
            time.sleep(max(0.0, started + done / rate - time.perf_counter()))
    print(f"  churn: {done} stock changes in {time.perf_counter() - started:.1f} s", flush=True)


def measure(server, name: str, path: str, label: str, args) -> dict:
    for _ in range(3):  # warm each worker's first request; not counted
        urllib.request.urlopen(server.base + path, timeout=10).read()
    cpu = worker_cpu_seconds(server.pid)
    r = wrk(server.base + path, args.duration, args.connections)
    r["cpu_ms"] = (worker_cpu_seconds(server.pid) - cpu) * 1000 / max(1, r["requests"])
    print(f"{name:10} {label:14} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['cpu_ms']:8.2f} "
          f"{r['non2xx']:8d}", flush=True)
    return r


def run(url: str, instance: Path, args) -> None:
    started = time.perf_counter()
    pages = build_database(url, instance)
    print(f"demo database built in {time.perf_counter() - started:.1f} s")
    print(f"gunicorn {args.workers} sync workers, PostgreSQL, page cache in Redis, wrk {args.connections} "
          f"connections, {args.duration} s per page, {os.cpu_count()} cores")
    print(f"{'page':10} {'cache':14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>8} {'non-2xx':>8}")
    results = {}
    for cache in ("off", "on"):  # off: every request renders (what a first visit costs)
        server = serve(url, instance, args.workers, cache == "on")
        try:
            for page, path in pages.items():
                results[(page, cache)] = measure(server, page, path, cache, args)
            if cache == "on":
                driver = subprocess.Popen([sys.executable, __file__, "--churn", url, "--churn-rate",
                                           str(args.churn_rate), "--skip", pages["product"].rsplit("/", 1)[1]],
                                          cwd=ROOT)
                try:
                    time.sleep(2)  # let it connect and start changing stock
                    for page in ("product", "home"):
                        results[(page, "churn")] = measure(server, page, pages[page],
                                                           f"on+{args.churn_rate:g} chg/s", args)
                finally:
                    driver.send_signal(signal.SIGTERM)
                    driver.wait(30)
        finally:
            server.terminate()
            server.wait(10)
    for page in ("product", "home"):
        quiet, busy = results[(page, "on")], results[(page, "churn")]
        print(f"{page}: cached under stock churn / quiet = {busy['rps'] / quiet['rps']:.2f} "
              f"(p99 {busy['p99']:.1f} ms vs {quiet['p99']:.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--churn-rate", type=float, default=10.0, help="stock changes a second in the churn run")
    parser.add_argument("--churn", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--skip", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.churn:
        churn(args.churn, args.churn_rate, args.skip)
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    instance = Path(tempfile.mkdtemp(prefix="opop-bench-"))
    try:
        with scratch_postgres() as url:
            run(url, instance, args)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
