"""Storefront load benchmark: gunicorn on PostgreSQL, wrk at 32 connections, home/category/product pages.

    .venv/bin/python bench/storefront.py [--duration 15] [--workers 4] [--connections 32]

Builds a scratch PostgreSQL database with the demo (44 koperasi, 440 products), serves it with gunicorn (sync
workers, production profile), and prints req/s, p50 and p99 per page. Needs `wrk` (Debian package `wrk`).
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import scratch_postgres  # noqa: E402


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
    return {"home": "/", "category": f"/kategori/{category}", "product": f"/produk/{product}"}


def wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50"), "p99": ms("99"),
            "non2xx": int(errors.group(1)) if errors else 0}


def serve(url: str, instance: Path, workers: int, page_cache: bool) -> subprocess.Popen:
    port = free_port()
    env = {**os.environ, "OPOP_CONFIG": "production", "DATABASE_URL": url, "SECRET_KEY": "bench",
           "MEDIA_DIR": str(instance / "media"), "OPOP_INSTANCE_DIR": str(instance),
           "PAGE_CACHE_ENABLED": "1" if page_cache else "0", "SESSION_COOKIE_SECURE": "0"}
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


def run(url: str, instance: Path, args) -> None:
    started = time.perf_counter()
    pages = build_database(url, instance)
    print(f"demo database built in {time.perf_counter() - started:.1f} s")
    print(f"gunicorn {args.workers} sync workers, PostgreSQL, wrk {args.connections} connections, "
          f"{args.duration} s per page, {os.cpu_count()} cores")
    print(f"{'page':10} {'cache':8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for cache in ("off", "on"):  # off: every request renders (what a first visit or a logged-in buyer costs)
        server = serve(url, instance, args.workers, cache == "on")
        try:
            for page, path in pages.items():
                for _ in range(3):  # warm each worker's first request; not counted
                    urllib.request.urlopen(server.base + path, timeout=10).read()
                r = wrk(server.base + path, args.duration, args.connections)
                print(f"{page:10} {cache:8} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {r['non2xx']:8d}")
        finally:
            server.terminate()
            server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
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
