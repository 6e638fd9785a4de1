"""Soak: N minutes of mixed traffic against the whole system with partner faults injected, then a consistency check.

    .venv/bin/python bench/soak.py [--minutes 10] [--web-workers 3]

Starts, on 127.0.0.1 only, and stops at the end: a scratch PostgreSQL database (bench/scratch.py) with the demo
seeded, both partner sandboxes (demo shops seeded, connected through the real authorisation flow by
`flask channels connect-demo`), localstripe (webhook registered), gunicorn (sync workers), two Celery worker
processes (queues default, channel.push, channel.pull, mail; and search) and beat, on Redis db ``--redis-db``.
Traffic (one thread each unless said): browse ×3 (home, listing, category, product pages), search, checkout ×2
(log in, cart, address, review, pay with `pm_card_visa` through localstripe), partner orders placed on the Shopee
and TikTok sandboxes, seller stock edits (inventory services, committed). Faults change every 30 s: none, 5xx,
latency, 429 bursts, timeouts, dropped/duplicated/reordered pushes. Prints error rate, p50/p99 per endpoint,
RSS of web and worker processes over time, and, once quiet, the consistency check (oversell, ledger, duplicate
and lost orders, drift through channels.reconcile).
"""

import argparse
import os
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from redis import Redis  # noqa: E402

from bench.scratch import scratch_postgres  # noqa: E402
from bench.soak_check import consistency, quiet  # noqa: E402
from bench.soak_support import Stats, System, environment, report, rss_mb, timed, wait_http  # noqa: E402
from bench.storefront import free_port  # noqa: E402
from tests.sandbox_fixtures import SandboxProcess  # noqa: E402

BIN = ROOT / ".venv/bin"
FAULTS = [("none", {}), ("5xx 20 %", {"error_rate": 0.2}), ("latency 400 ms", {"latency_ms": 400}),
          ("429 burst 40", {"rate_limit_burst": 40}), ("timeouts 5 %", {"timeout_rate": 0.05, "timeout_seconds": 4}),
          ("pushes dropped 30 %, duplicated 30 %, reordered",
           {"drop_push_rate": 0.3, "duplicate_push_rate": 0.3, "reorder_pushes": True})]
NO_FAULTS = {"error_rate": 0, "latency_ms": 0, "rate_limit_burst": 0, "timeout_rate": 0, "drop_push_rate": 0,
             "duplicate_push_rate": 0, "reorder_pushes": False}
ADDRESS = {"recipient": "Pembeli Soak", "phone": "0812 3456 7890", "province": "Jawa Timur",
           "region_code": "kota-surabaya", "city": "", "district": "Wonokromo", "village": "Jagir",
           "street": "Jl. Jagir Wonokromo No. 5", "postal_code": "60244"}
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def buyers(count: int) -> list[tuple[str, str]]:
    from werkzeug.security import generate_password_hash

    from marketplace.accounts.models import User
    from marketplace.extensions import db

    password = "soak-rahasia-1"
    hashed = generate_password_hash(password)
    made = [(f"pembeli-soak-{n}@soak.opop.id", password) for n in range(count)]
    db.session.add_all([User(email=email, name=f"Pembeli Soak {n}", password_hash=hashed)
                        for n, (email, _p) in enumerate(made)])
    db.session.commit()
    return made


def targets() -> dict:
    import sqlalchemy as sa

    from marketplace.catalog.models import Category, Product, ProductStatus, Variant
    from marketplace.extensions import db

    products = db.session.execute(sa.select(Product.id, Product.slug, Product.name, Variant.id).join(Variant)
                                  .where(Product.status == ProductStatus.PUBLISHED)).all()
    return {"products": products, "categories": db.session.scalars(sa.select(Category.slug)).all(),
            "words": sorted({w.lower() for p in products for w in p.name.split() if len(w) > 3})}


def browse(web: str, stats: Stats, goal: dict, stop: threading.Event) -> None:
    http = requests.Session()
    while not stop.is_set():
        kind = random.choice(["home", "listing", "category", "product", "product"])
        path = {"home": "/", "listing": f"/produk?halaman={random.randint(1, 3)}",
                "category": f"/kategori/{random.choice(goal['categories'])}",
                "product": f"/produk/{random.choice(goal['products']).slug}"}[kind]
        timed(stats, f"GET {kind}", http.get, web + path)


def search(web: str, stats: Stats, goal: dict, stop: threading.Event) -> None:
    http = requests.Session()
    while not stop.is_set():
        word = random.choice(goal["words"])
        timed(stats, "GET search", http.get, f"{web}/cari", params={"q": word})
        timed(stats, "GET search suggest", http.get, f"{web}/cari/saran", params={"q": word[:3]})
        stop.wait(0.2)


def checkout(web: str, stats: Stats, goal: dict, login: tuple[str, str], tokens: list, stop: threading.Event):
    http = requests.Session()
    page = http.get(f"{web}/masuk", timeout=30)
    csrf = CSRF.search(page.text).group(1)
    timed(stats, "POST login", http.post, f"{web}/masuk",
          data={"email": login[0], "password": login[1], "csrf_token": csrf})
    while not stop.is_set():
        product = random.choice(goal["products"])
        added = timed(stats, "POST cart add", http.post, f"{web}/keranjang/tambah", data={
            "product": product.id, "variant": product[3], "quantity": 1, "csrf_token": csrf})
        if added is None:
            continue
        timed(stats, "POST address", http.post, f"{web}/checkout/alamat", data={**ADDRESS, "csrf_token": csrf})
        review = timed(stats, "GET checkout", http.get, f"{web}/checkout")
        found = review is not None and re.search(r'action="/checkout/([^/]+)/selesai"', review.text)
        if not found:
            stop.wait(1)  # out of stock, or an empty cart: a buyer looks elsewhere
            continue
        token = found.group(1)
        couriers = dict(re.findall(r'name="(kurir_\d+)" value="(\w+)"[^>]*checked', review.text))
        placed = timed(stats, "POST checkout complete", http.post, f"{web}/checkout/{token}/selesai",
                       data={**couriers, "csrf_token": csrf}, allow_redirects=False)
        if placed is None or placed.status_code != 302 or "/pembayaran/" not in placed.headers.get("Location", ""):
            continue
        tokens.append(token)
        timed(stats, "GET payment", http.get, f"{web}/pembayaran/{token}")
        timed(stats, "POST pay (localstripe)", http.post, f"{web}/pembayaran/{token}/bayar",
              data={"payment_method": "pm_card_visa", "csrf_token": csrf})
        stop.wait(0.5)


def partner_orders(sandboxes: dict, shops: dict, stats: Stats, placed: dict, stop: threading.Event) -> None:
    http = requests.Session()
    while not stop.is_set():
        platform = random.choice(["shopee", "tiktok"])
        shop_id, skus = shops[platform]
        lines = [{"sku": sku, "quantity": 1} for sku in random.sample(skus, random.randint(1, 2))]
        answer = timed(stats, f"sandbox order ({platform})", http.post,
                       f"{sandboxes[platform].base_url}/_sandbox/shops/{shop_id}/orders",
                       json={"lines": lines, "paid": True}, ok=lambda r: r.status_code in (200, 201, 409))
        if answer is not None and answer.status_code in (200, 201):
            placed[platform].append(str(answer.json()["order_id"]))
        stop.wait(0.7)


def stock_edits(stats: Stats, koperasi_id: int, stop: threading.Event) -> None:
    """What a seller does on the stock page: set a counted quantity (never below what is promised)."""
    import sqlalchemy as sa

    from marketplace.catalog.models import Product, Variant
    from marketplace.extensions import db
    from marketplace.inventory.models import Warehouse
    from marketplace.inventory.services import set_stock

    while not stop.is_set():
        variant = db.session.scalar(sa.select(Variant).join(Product).where(Product.koperasi_id == koperasi_id)
                                    .order_by(sa.func.random()).limit(1))
        warehouse = db.session.scalar(sa.select(Warehouse).where(Warehouse.koperasi_id == koperasi_id).limit(1))
        from marketplace.inventory.models import Stock

        promised = db.session.scalar(sa.select(Stock.quantity_allocated).where(
            Stock.variant_id == variant.id, Stock.warehouse_id == warehouse.id)) or 0
        started = time.monotonic()
        try:
            set_stock(variant, warehouse, promised + random.randint(0, 30))
            db.session.commit()
            stats.add("seller stock edit", time.monotonic() - started, True)
        except Exception as error:  # noqa: BLE001  (counted and shown, never hidden)
            db.session.rollback()
            stats.add("seller stock edit", time.monotonic() - started, False, repr(error))
        stop.wait(1.0)


def in_context(app, target, *args) -> None:
    with app.app_context():
        target(*args)


def faults(sandboxes: dict, stats: Stats, log: list, stop: threading.Event, started: float) -> None:
    n = 0
    while not stop.is_set():
        name, settings = FAULTS[n % len(FAULTS)]
        for sandbox in sandboxes.values():
            requests.put(f"{sandbox.base_url}/_sandbox/faults", json={**NO_FAULTS, **settings}, timeout=10)
        log.append(f"{time.monotonic() - started:5.0f} s  {name}")
        n += 1
        stop.wait(30)


QUEUES = ("default", "channel.pull", "channel.push", "search", "mail")


def backlog() -> dict[str, int]:
    """Messages waiting in each Celery queue (Redis lists named after the queues)."""
    redis = Redis.from_url(os.environ["CELERY_BROKER_URL"])
    return {f"queue {q}": redis.llen(q) for q in QUEUES}


def sample(system: System) -> dict[str, float]:
    return {**{name: rss_mb(proc.pid) for name, proc in system.procs.items()
               if name in ("web", "worker", "search-worker", "beat")}, **backlog()}


def sample_memory(system: System, memory: list, stop: threading.Event, started: float) -> None:
    while True:
        memory.append((time.monotonic() - started, sample(system)))
        if stop.wait(20):
            return


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--redis-db", type=int, default=13)
    args = parser.parse_args()
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    redis = Redis.from_url(redis_url)
    ours = redis.dbsize() == 0  # emptied at the end only if nobody else had keys there
    if not ours:
        print(f"Redis db {args.redis_db} is not empty: left as it is at the end (choose another with --redis-db)")
    with scratch_postgres() as url, tempfile.TemporaryDirectory(prefix="opop-soak-") as tmp:
        instance = Path(tmp)
        sandboxes = {p: SandboxProcess(p, instance) for p in ("shopee", "tiktok")}
        system = None
        try:
            web, stripe_port = f"http://127.0.0.1:{free_port()}", free_port()
            env = environment(url, instance, web, stripe_port, sandboxes, redis_url)
            os.environ.update(env)
            system = System(instance, env)
            run(args, system, sandboxes, web, stripe_port)
        finally:
            if system is not None:
                system.stop()
            for sandbox in sandboxes.values():
                sandbox.stop()
            if ours:
                redis.flushdb()
            from marketplace.extensions import db

            try:
                db.engine.dispose()
            except RuntimeError:
                pass


def run(args, system: System, sandboxes: dict, web: str, stripe_port: int) -> None:
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.demo.sandboxes import seed_sandbox
    from marketplace.demo.seed import seed_demo
    from marketplace.extensions import db
    from marketplace.koperasi.models import Koperasi

    app = create_app()
    ctx = app.app_context()
    ctx.push()
    upgrade()
    seed_demo()
    db.session.commit()
    shops = {}
    for platform, sandbox in sandboxes.items():
        shop_id = str(seed_sandbox(platform, sandbox.base_url)["shop_id"])
        stock = requests.get(f"{sandbox.base_url}/_sandbox/shops/{shop_id}/stock", timeout=10).json()["products"]
        shops[platform] = (shop_id, [u.get("model_sku") or u.get("seller_sku") for p in stock
                                     for u in (p.get("models") or p.get("skus"))])
    logins = buyers(2)
    goal = targets()
    koperasi_id = db.session.scalar(db.select(Koperasi.id).order_by(Koperasi.id))
    db.session.remove()
    flask = [str(BIN / "flask"), "--app", "marketplace"]
    system.start("stripe", [str(BIN / "localstripe"), "--port", str(stripe_port), "--from-scratch"])
    system.start("web", [str(BIN / "gunicorn"), "-w", str(args.web_workers), "-b", web.removeprefix("http://"),
                         "--timeout", "60", "--log-level", "warning", "marketplace:create_app()"])
    celery = [str(BIN / "celery"), "-A", "workers.worker"]
    system.start("worker", [*celery, "worker", "-Q", "default,channel.push,channel.pull,mail", "-c", "2", "-n",
                            "soak@%h", "--loglevel=WARNING", "--without-gossip", "--without-mingle"])
    system.start("search-worker", [*celery, "worker", "-Q", "search", "--pool", "solo", "-n", "soaksearch@%h",
                                   "--loglevel=WARNING", "--without-gossip", "--without-mingle"])
    system.start("beat", [*celery, "beat", "--loglevel=WARNING", "--schedule",
                          str(system.instance / "celerybeat-schedule")])
    wait_http(web + "/healthz")
    wait_http(f"http://127.0.0.1:{stripe_port}/js.stripe.com/v3/")
    print(system.run([*flask, "search", "rebuild"]))
    print(system.run([*flask, "payments", "register-webhook"]))
    print(system.run([*flask, "channels", "connect-demo", "--url", web, "--wait", "60"]))
    print(f"soak: {args.minutes:g} min, gunicorn {args.web_workers} sync workers, Celery 2 workers + beat, "
          f"PostgreSQL, Redis db {args.redis_db}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    stats, stop, tokens, placed = Stats(), threading.Event(), [], {"shopee": [], "tiktok": []}
    memory, fault_log = [], []
    started = time.monotonic()
    threads = [threading.Thread(target=browse, args=(web, stats, goal, stop)) for _ in range(3)]
    threads += [threading.Thread(target=search, args=(web, stats, goal, stop))]
    threads += [threading.Thread(target=checkout, args=(web, stats, goal, login, tokens, stop)) for login in logins]
    threads += [threading.Thread(target=partner_orders, args=(sandboxes, shops, stats, placed, stop)),
                threading.Thread(target=faults, args=(sandboxes, stats, fault_log, stop, started)),
                threading.Thread(target=sample_memory, args=(system, memory, stop, started))]
    for thread in threads:
        thread.start()
    edits = threading.Thread(target=in_context, args=(app, stock_edits, stats, koperasi_id, stop))
    edits.start()
    time.sleep(args.minutes * 60)
    stop.set()
    for thread in [*threads, edits]:
        thread.join()
    seconds = time.monotonic() - started
    for sandbox in sandboxes.values():
        requests.put(f"{sandbox.base_url}/_sandbox/faults", json=NO_FAULTS, timeout=10)
    memory.append((seconds, sample(system)))
    report(stats, seconds, memory, fault_log)
    print("\nconsistency, once quiet:")
    quiet_started = time.monotonic()
    def queued() -> int:  # Celery messages, and partner pushes the sandboxes have yet to deliver
        pending = sum(len(requests.get(f"{sandbox.base_url}/_sandbox/pushes", params={"state": state},
                                       timeout=10).json()["pushes"])
                      for sandbox in sandboxes.values() for state in ("pending", "held"))
        return sum(backlog().values()) + pending

    settled = quiet(300, queued)
    print(f"  quiet (outbox dispatched, listings pushed, queues empty) after {time.monotonic() - quiet_started:.0f} s"
          f"{'' if settled else ' NOT reached; left: ' + str(backlog())}")
    for line in consistency(placed, tokens, queued):
        print("  " + line)


if __name__ == "__main__":
    main()
