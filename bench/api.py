"""Storefront GraphQL API benchmark: gunicorn on PostgreSQL (demo data), 32 connections.

    .venv/bin/python bench/api.py [--duration 15] [--workers 4] [--connections 32] [--checkouts 400]

Prints req/s, p50 and p99 for
- `products(first: 20)` with pricing and thumbnail (wrk, a Lua script cycling through 20 different pages and
  sort orders, so no single repeated query answers from a warm plan alone),
- `product(slug)` with variants and quantityAvailable (wrk, cycling through 200 products),
- `checkoutComplete` (a Python load generator: checkouts prepared through the API beforehand, each completed once
  and paid on localstripe — four gateway calls per completion).
There is no response cache in the API: every request parses (cached), validates (cached), runs its SQL and
serialises. Needs `wrk` and PostgreSQL on 127.0.0.1 (BENCH_POSTGRES_URL overrides).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import scratch_postgres  # noqa: E402
from bench.storefront import free_port, wrk  # noqa: E402

PRODUCTS = """query Products($after: String, $sortBy: ProductOrder) {
  products(first: 20, after: $after, channel: "default-channel", sortBy: $sortBy) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id name slug thumbnail(size: 256) { url alt }
      pricing { priceRange { start { gross { amount currency } } stop { gross { amount currency } } } } } } } }"""
PRODUCT = """query Product($slug: String!) { product(slug: $slug, channel: "default-channel") {
  id name slug variants { id name sku quantityAvailable pricing { price { gross { amount currency } } } } } }"""
ADDRESS = {"firstName": "Siti", "lastName": "Bench", "phone": "081234567890", "country": "ID",
           "countryArea": "Jawa Timur", "city": "Kota Surabaya", "cityArea": "Wonokromo",
           "streetAddress1": "Jl. Jagir No. 5", "streetAddress2": "Jagir", "postalCode": "60244"}


def post(base: str, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + "/graphql/", json.dumps({"query": query, "variables": variables or {}})
                                     .encode(), headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


def build_database(url: str, instance: Path) -> dict:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.catalog.models import Product, ProductStatus, Variant
    from marketplace.demo.seed import seed_demo
    from marketplace.extensions import db
    from marketplace.inventory.queries import available_by_variant

    app = create_app("default", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=str(instance / "media"))
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        slugs = list(db.session.scalars(sa.select(Product.slug).where(Product.status == ProductStatus.PUBLISHED)
                                        .order_by(Product.id).limit(200)))
        variants = list(db.session.scalars(sa.select(Variant.id).join(Product)
                                           .where(Product.status == ProductStatus.PUBLISHED).order_by(Variant.id)))
        available = available_by_variant(variants)
        db.engine.dispose()
    return {"slugs": slugs, "variants": [v for v in variants if available[v] > 0]}


def lua_script(path: Path, bodies: list[dict]) -> None:
    encoded = ",\n".join(json.dumps(json.dumps(b)) for b in bodies)
    path.write_text(f"""wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {{ {encoded} }}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/graphql/", nil, bodies[(n % #bodies) + 1])
end
""")


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU of gunicorn's workers (Linux /proc): CPU per request does not depend on how busy the
    shared machine is, unlike req/s."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def run_wrk(server, bodies: list[dict], duration: int, connections: int, workdir: Path) -> dict:
    script = workdir / "bodies.lua"
    lua_script(script, bodies)
    for body in bodies[:8]:  # warm each worker; not counted
        post(server.base, body["query"], body["variables"])
    cpu = server_cpu_seconds(server)
    out = wrk_with_script(server.base, script, duration, connections)
    out["cpu_ms"] = (server_cpu_seconds(server) - cpu) * 1000 / max(1, out["rps"] * duration)
    return out


def wrk_with_script(base: str, script: Path, duration: int, connections: int) -> dict:
    import re

    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), base],
                         capture_output=True, text=True, check=True).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50"), "p99": ms("99"),
            "non2xx": int(errors.group(1)) if errors else 0}


def prepare_checkouts(base: str, variants: list[int], count: int, buyers: int) -> list[tuple[str, str]]:
    """Checkouts ready to complete (lines, address, a delivery method per shipment, a payment), via the API."""
    from marketplace.api.ids import to_global_id

    tokens = []
    for n in range(buyers):
        email = f"bench{n}@uji.opop.id"
        post(base, "mutation($i: AccountRegisterInput!) { accountRegister(input: $i) { errors { code } } }",
             {"i": {"email": email, "password": "rahasia123", "firstName": "Bench"}})
        tokens.append(post(base, 'mutation($e: String!) { tokenCreate(email: $e, password: "rahasia123") { token } }',
                           {"e": email})["tokenCreate"]["token"])

    def one(n: int) -> tuple[str, str]:
        token = tokens[n % buyers]
        line = {"variantId": to_global_id("ProductVariant", variants[n % len(variants)]), "quantity": 1}
        created = post(base, """mutation($l: [CheckoutLineInput!]!, $a: AddressInput!) {
            checkoutCreate(input: {lines: $l, shippingAddress: $a}) { checkout { id shipments {
              shippingMethods { id } } } errors { code message } } }""", {"l": [line], "a": ADDRESS}, token)
        checkout = created["checkoutCreate"]["checkout"]
        if checkout is None:
            return None
        for shipment in checkout["shipments"]:
            post(base, """mutation($id: ID!, $m: ID!) { checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $m)
                { errors { code } } }""", {"id": checkout["id"], "m": shipment["shippingMethods"][0]["id"]}, token)
        total = post(base, "query($id: ID!) { checkout(id: $id) { totalPrice { gross { amount } } } }",
                     {"id": checkout["id"]}, token)["checkout"]["totalPrice"]["gross"]["amount"]
        post(base, """mutation($id: ID!, $p: PaymentInput!) { checkoutPaymentCreate(id: $id, input: $p)
            { errors { code } } }""", {"id": checkout["id"], "p": {"gateway": "opop.payments.stripe",
                                                                   "token": "pm_card_visa", "amount": total}}, token)
        return checkout["id"], token

    with ThreadPoolExecutor(8) as pool:
        return [c for c in pool.map(one, range(count)) if c]


def complete_load(base: str, checkouts: list[tuple[str, str]], connections: int) -> dict:
    latencies, failures, lock = [], [], threading.Lock()
    todo = iter(checkouts)

    def worker():
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                return
            started = time.perf_counter()
            try:
                data = post(base, """mutation($id: ID!) { checkoutComplete(id: $id) { order { number isPaid }
                    errors { code message } } }""", {"id": item[0]}, item[1])["checkoutComplete"]
                ok = data["order"] is not None and data["order"]["isPaid"]
            except Exception as error:  # noqa: BLE001  (counted, not fatal)
                ok, data = False, str(error)
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                if not ok:
                    failures.append(data)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], "non2xx": len(failures),
            "sample_failure": failures[:1]}


def serve(url: str, instance: Path, workers: int, stripe: str) -> subprocess.Popen:
    port = free_port()
    env = {**os.environ, "OPOP_CONFIG": "production", "DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 40,
           "STRIPE_SECRET_KEY": "sk_test_opop_local", "STRIPE_WEBHOOK_SECRET": "whsec_bench_" + "y" * 20,
           "ALLOW_TEST_PAYMENTS": "1",
           "CHANNEL_CREDENTIALS_KEY": Fernet.generate_key().decode(),
           "MEDIA_DIR": str(instance / "media"), "OPOP_INSTANCE_DIR": str(instance), "SESSION_COOKIE_SECURE": "0",
           "STRIPE_API_BASE": stripe, "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
           "CELERY_BROKER_URL": "memory://", "CELERY_RESULT_BACKEND": "cache+memory://",
           # outbox tasks are queued in memory and dropped: only the API is measured
           "MAIL_BACKEND": "locmem", "API_ACCESS_TOKEN_SECONDS": "7200"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level",
         "warning", "marketplace:create_app()"], cwd=ROOT, env=env)
    server.base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(server.base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server


def start_localstripe() -> subprocess.Popen:
    port = free_port()
    process = subprocess.Popen([str(ROOT / ".venv/bin/localstripe"), "--port", str(port), "--from-scratch"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process.base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(process.base + "/js.stripe.com/v3/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return process


def run(url: str, instance: Path, args) -> None:
    started = time.perf_counter()
    data = build_database(url, instance)
    print(f"demo database built in {time.perf_counter() - started:.1f} s ({len(data['variants'])} variants in stock)")
    stripe = start_localstripe()
    server = serve(url, instance, args.workers, stripe.base)
    try:
        print(f"gunicorn {args.workers} sync workers, PostgreSQL, {args.connections} connections, "
              f"{args.duration} s per query, {os.cpu_count()} cores; no response cache")
        print(f"{'operation':42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'CPU ms/req':>11}")
        # what the machine gives a bare Flask view right now (other work on a shared machine lowers every req/s)
        calm = wrk(server.base + "/healthz", 5, args.connections)
        print(f"{'(calibration: GET /healthz, no database)':42} {calm['rps']:8.0f} {calm['p50']:8.1f} "
              f"{calm['p99']:8.1f} {calm['non2xx']:7d}")
        sorts = [None, {"field": "PRICE", "direction": "ASC"}, {"field": "NAME", "direction": "ASC"},
                 {"field": "PRICE", "direction": "DESC"}]
        pages = [{"query": PRODUCTS, "variables": {"sortBy": sort, "after": _cursor(20 * page - 1) if page else None}}
                 for sort in sorts for page in range(5)]
        r = run_wrk(server, pages, args.duration, args.connections, instance)
        print(f"{'products(first: 20) pricing+thumbnail':42} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} "
              f"{r['non2xx']:7d} {r['cpu_ms']:11.1f}")
        details = [{"query": PRODUCT, "variables": {"slug": slug}} for slug in data["slugs"]]
        r = run_wrk(server, details, args.duration, args.connections, instance)
        print(f"{'product(slug) variants+quantityAvailable':42} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} "
              f"{r['non2xx']:7d} {r['cpu_ms']:11.1f}")
        checkouts = prepare_checkouts(server.base, data["variants"], args.checkouts, buyers=args.connections)
        cpu = server_cpu_seconds(server)
        r = complete_load(server.base, checkouts, args.connections)
        r["cpu_ms"] = (server_cpu_seconds(server) - cpu) * 1000 / max(1, len(checkouts))
        print(f"{'checkoutComplete (+4 localstripe calls)':42} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} "
              f"{r['non2xx']:7d} {r['cpu_ms']:11.1f}   ({len(checkouts)} checkouts; localstripe's CPU not counted)")
        if r["sample_failure"]:
            print("  first failure:", r["sample_failure"][0])
    finally:
        for process in (server, stripe):
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _cursor(offset: int) -> str:
    import base64

    return base64.b64encode(f"arrayconnection:{offset}".encode()).decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--checkouts", type=int, default=400)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    instance = Path(tempfile.mkdtemp(prefix="opop-bench-api-"))
    try:
        with scratch_postgres() as url:
            run(url, instance, args)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
