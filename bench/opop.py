"""OPOP programme dashboard benchmark on PostgreSQL: 1,000 koperasi, 50,000 orders.

    .venv/bin/python bench/opop.py [--koperasi 1000] [--orders 50000] [--requests 30]

Builds a scratch PostgreSQL database (BENCH_POSTGRES_URL names the server) through the migrations, bulk-loads
koperasi in every status across the 38 regions, 10 products each (certificates, flagship marks), applications in
cohorts with their decisions, and paid orders spread over 12 months; then requests, in-process through the WSGI app
as the OPOP team (no network: the server's own time), the dashboard, each CSV export, the queue and the public page.
Prints the cold first request and p50/p95/p99 over repeated requests.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import scratch_postgres  # noqa: E402

PASSWORD = "rahasia123"


def load(koperasi_count: int, order_count: int) -> None:
    from marketplace.accounts.models import User
    from marketplace.catalog.models import Certification, Product
    from marketplace.core.regions import REGIONS
    from marketplace.extensions import db
    from marketplace.koperasi.models import Koperasi, Pesantren
    from marketplace.opop.models import Application, Cohort, Decision, FlagshipMark
    from marketplace.orders.models import Order

    rng = random.Random(14)
    now = datetime.now().replace(microsecond=0)
    admin = User(email="tim@bench.opop.id", name="Tim OPOP", is_opop_admin=True)
    admin.set_password(PASSWORD)
    db.session.add(admin)
    db.session.flush()
    statuses = ["verified"] * 80 + ["submitted"] * 10 + ["draft"] * 6 + ["suspended"] * 4
    conn = db.session.connection()
    conn.execute(Cohort.__table__.insert(), [{"year": y, "name": f"Angkatan {y}", "created_at": now}
                                             for y in range(2019, 2026)])
    cohort_ids = [r[0] for r in conn.execute(Cohort.__table__.select().with_only_columns(Cohort.id))]
    conn.execute(Pesantren.__table__.insert(), [
        {"name": f"Pondok Pesantren Bench {k}", "slug": f"pp-bench-{k}", "region_code": REGIONS[k % 38].code,
         "address": "", "description": "", "created_at": now} for k in range(koperasi_count)])
    conn.execute(Koperasi.__table__.insert(), [
        {"pesantren_id": k + 1, "name": f"Koppontren Bench {k}", "slug": f"kop-bench-{k}", "nib": f"{9 * 10**12 + k}",
         "legal_entity_number": f"AHU-{k:05d}", "npwp": f"{7 * 10**14 + k}", "address": "",
         "region_code": REGIONS[(k * 7) % 38].code, "description": "", "status": statuses[k % 100],
         "created_at": now - timedelta(days=k % 700)} for k in range(koperasi_count)])
    conn.execute(Application.__table__.insert(), [
        {"koperasi_id": k + 1, "cohort_id": cohort_ids[k % len(cohort_ids)], "contacts": [],
         "submitted_at": now - timedelta(days=k % 700)} for k in range(koperasi_count)])
    conn.execute(Decision.__table__.insert(), [
        {"koperasi_id": k + 1, "action": "submit", "from_status": "draft", "to_status": "submitted", "reason": "",
         "decided_at": now - timedelta(days=k % 700)} for k in range(koperasi_count)])
    products = [{"koperasi_id": k + 1, "name": f"Produk {k}-{p}", "slug": f"produk-{k}-{p}", "description": "",
                 "status": "published", "is_flagship": p == 0 and k % 2 == 0, "created_at": now, "updated_at": now}
                for k in range(koperasi_count) for p in range(10)]
    conn.execute(Product.__table__.insert(), products)
    today = date.today()
    conn.execute(Certification.__table__.insert(), [
        {"product_id": i + 1, "kind": "halal" if i % 2 else "pirt", "number": f"ID{i:014d}",
         "valid_until": today + timedelta(days=rng.randint(-120, 900))} for i in range(0, len(products), 2)])
    conn.execute(FlagshipMark.__table__.insert(), [
        {"product_id": i + 1, "note": "bench", "marked_by_id": admin.id, "unmark_note": "",
         "marked_at": datetime(2019 + rng.randint(0, 6), rng.randint(1, 12), 1)}
        for i, p in enumerate(products) if p["is_flagship"]])
    verified = [k + 1 for k in range(koperasi_count) if statuses[k % 100] == "verified"]
    batch = []
    for n in range(order_count):
        paid = now - timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 1440))
        total = rng.randint(20, 400) * 1000
        batch.append({"number": f"OPB{n:09d}", "checkout_token": f"bench-{n}", "koperasi_id": rng.choice(verified),
                      "status": rng.choice(["selesai", "selesai", "dikirim", "dikemas", "dibatalkan"]),
                      "email": "pembeli@bench.opop.id", "address": {}, "courier": "jne", "subtotal": total - 10000,
                      "shipping_cost": 10000, "total": total, "weight_grams": 500, "note": "", "paid_at": paid,
                      "created_at": paid})
        if len(batch) == 5000:
            conn.execute(Order.__table__.insert(), batch)
            batch = []
    if batch:
        conn.execute(Order.__table__.insert(), batch)
    db.session.commit()
    conn = db.session.connection()
    conn.exec_driver_sql("ANALYZE")


def measure(client, path: str, repeats: int) -> tuple[float, list[float]]:
    start = time.perf_counter()
    response = client.get(path)
    cold = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return cold, sorted(times)


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--koperasi", type=int, default=1000)
    parser.add_argument("--orders", type=int, default=50000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    from flask_migrate import upgrade

    from marketplace import create_app

    with scratch_postgres() as url, tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=f"{tmp}/media",
                         SEARCH_INDEX_DIR=f"{tmp}/search", PAGE_CACHE_ENABLED=False)
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            load(args.koperasi, args.orders)
            print(f"loaded {args.koperasi} koperasi, {args.koperasi * 10} products, {args.orders} orders "
                  f"in {time.perf_counter() - started:.1f} s (PostgreSQL)")
        client = app.test_client()
        assert client.post("/masuk", data={"email": "tim@bench.opop.id", "password": PASSWORD}).status_code == 302
        print(f"{'page':34} {'cold':>8} {'p50':>8} {'p95':>8} {'p99':>8}  (ms, {args.requests} requests)")
        pages = ["/opop/dasbor", *[f"/opop/dasbor/{n}.csv" for n in ("koperasi", "unggulan", "penjualan", "kanal",
                                                                      "sertifikat")],
                 "/opop/koperasi", "/opop/koperasi?status=semua", "/opop/unggulan", "/opop"]
        for path in pages:
            cold, times = measure(client, path, args.requests)
            print(f"{path:34} {cold:8.1f} {statistics.median(times):8.1f} {pct(times, .95):8.1f} "
                  f"{pct(times, .99):8.1f}")
        with app.app_context():
            from marketplace.extensions import db

            db.engine.dispose()


if __name__ == "__main__":
    main()
