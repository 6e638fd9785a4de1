"""Checkout throughput and oversell on PostgreSQL.

    .venv/bin/python bench/checkout.py [--buyers 600] [--processes 4] [--threads 1]

Builds a scratch PostgreSQL database (dropped afterwards), one koperasi, and carts ready to pay: each checkout is
`checkout.services.complete_checkout` + commit — locking stock rows, allocating, one order and one payment, the
ledger rows and the outbox events — run by several processes × threads, each on its own connection. Phases:
  hot     every buyer buys 1 unit of the same variant (plenty of stock): the row lock serialises them
  spread  each buyer buys 1 unit of one of 200 variants
  oversell  2 × stock buyers race for a variant with limited stock: orders must equal stock, never more
Prints checkouts/s, latency p50/p95/p99 and the oversell count. The payment intent (a network call made after
commit, outside the locks) is not part of these figures.
"""

import argparse
import multiprocessing as mp
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.scratch import scratch_postgres  # noqa: E402

ADDRESS = {"recipient": "Pembeli Bench", "phone": "+6281234567890", "province": "Jawa Timur",
           "city": "Kota Surabaya", "region_code": "kota-surabaya", "district": "Wonokromo", "village": "Jagir",
           "street": "Jl. Jagir 5", "postal_code": "60244"}


def make_app(url: str):
    from marketplace import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI=url,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 8, "max_overflow": 8})


def seed(app, phases: dict[str, tuple[list[int], int]]) -> dict:
    """phases: name -> (stock per variant, buyers). Returns name -> (koperasi id, variant ids, user ids)."""
    from marketplace.catalog import services as catalog
    from marketplace.catalog.models import ProductStatus
    from marketplace.checkout.shipping import set_rate_table, standard_rate_rows
    from marketplace.extensions import db
    from marketplace.inventory.services import create_warehouse, set_stock
    from marketplace.koperasi import services as koperasi_services
    from marketplace.koperasi.models import VerificationStatus

    out = {}
    with app.app_context():
        for n, (name, (stocks, buyers)) in enumerate(phases.items()):
            pesantren = koperasi_services.create_pesantren(f"Pesantren {name}", "kab-jombang")
            koperasi = koperasi_services.create_koperasi(pesantren, f"Koperasi {name}", nib=f"{5000000000000 + n}",
                                                         legal_entity_number="AHU-B", region_code="kab-jombang")
            koperasi_services.change_status(koperasi, VerificationStatus.SUBMITTED)
            koperasi_services.change_status(koperasi, VerificationStatus.VERIFIED)
            set_rate_table(koperasi.id, standard_rate_rows())
            warehouse = create_warehouse(koperasi, "Gudang")
            product = catalog.create_product(koperasi, f"Kopi {name}", status=ProductStatus.PUBLISHED)
            variant_ids = []
            for i, quantity in enumerate(stocks):
                variant = catalog.add_variant(product, f"{name}-{i}", 25000, 250)
                set_stock(variant, warehouse, quantity)
                variant_ids.append(variant.id)
            db.session.commit()
            conn = db.session.connection()
            users = conn.execute(sa.text("INSERT INTO \"user\" (email, password_hash, name, is_opop_admin, "
                                         "is_active_account, created_at) SELECT :p || g || '@bench.id', '-', "
                                         "'Pembeli', false, true, now() FROM generate_series(1, :n) g RETURNING id"),
                                 {"p": name, "n": buyers}).scalars().all()
            carts = conn.execute(
                sa.text("INSERT INTO cart (token, user_id, address, shipping_choices, note, created_at, updated_at) "
                        "SELECT md5(random()::text || u), u, CAST(:addr AS json), '{}', '', now(), now() "
                        "FROM unnest(CAST(:users AS int[])) u RETURNING id"),
                {"addr": __import__("json").dumps(ADDRESS), "users": list(users)}).scalars().all()
            conn.execute(sa.text("INSERT INTO cart_line (cart_id, variant_id, quantity, price_when_added, added_at) "
                                 "SELECT c, (CAST(:variants AS int[]))[1 + (i % :nv)], 1, 25000, now() "
                                 "FROM unnest(CAST(:carts AS int[])) WITH ORDINALITY AS t(c, i)"),
                         {"variants": variant_ids, "nv": len(variant_ids), "carts": list(carts)})
            db.session.commit()
            out[name] = (koperasi.id, variant_ids, list(users))
    return out


def worker(url, koperasi_id, user_ids, threads, barrier, results):
    from marketplace.accounts.models import User
    from marketplace.checkout.cart import find_cart
    from marketplace.checkout.services import complete_checkout
    from marketplace.extensions import db
    from marketplace.inventory.errors import InsufficientStock

    app = make_app(url)
    latencies, refused, errors = [], [0], [0]
    lock = threading.Lock()

    def run(chunk):
        for user_id in chunk:
            with app.app_context():
                cart = find_cart(user_id, None)
                user = db.session.get(User, user_id)
                started = time.perf_counter()
                try:
                    complete_checkout(cart, user, {str(koperasi_id): "jne"})
                    db.session.commit()
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                except InsufficientStock:
                    db.session.rollback()
                    with lock:
                        refused[0] += 1
                except Exception as error:  # noqa: BLE001  (counted and reported, never hidden)
                    db.session.rollback()
                    with lock:
                        errors[0] += 1
                    print("error:", repr(error)[:200], file=sys.stderr)

    chunks = [user_ids[i::threads] for i in range(threads)]
    with app.app_context():
        db.engine.connect().close()
    barrier.wait()
    cpu = time.process_time()
    pool = [threading.Thread(target=run, args=(chunk,)) for chunk in chunks]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    results.put((latencies, refused[0], errors[0], time.process_time() - cpu))


def run_phase(url, name, koperasi_id, user_ids, processes, threads):
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(processes + 1), ctx.Queue()
    slices = [user_ids[i::processes] for i in range(processes)]
    procs = [ctx.Process(target=worker, args=(url, koperasi_id, s, threads, barrier, results)) for s in slices]
    for proc in procs:
        proc.start()
    barrier.wait()
    busy_before, total_before = machine_cpu()
    started = time.perf_counter()
    collected = [results.get() for _ in procs]
    wall = time.perf_counter() - started
    busy_after, total_after = machine_cpu()
    for proc in procs:
        proc.join()
    latencies = sorted(x for lat, _r, _e, _c in collected for x in lat)
    refused = sum(r for _l, r, _e, _c in collected)
    errors = sum(e for _l, _r, e, _c in collected)
    app_cpu = sum(c for _l, _r, _e, c in collected)
    machine_busy = (busy_after - busy_before) / max(1, total_after - total_before)
    return latencies, refused, errors, wall, app_cpu, machine_busy


def machine_cpu() -> tuple[int, int]:
    """Busy and total jiffies of the whole machine (every process, not just ours)."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def pct(values, q):
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=600)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--oversell-stock", type=int, default=150)
    args = parser.parse_args()

    with scratch_postgres() as url:
        app = make_app(url)
        from flask_migrate import upgrade

        with app.app_context():
            upgrade()
        phases = {
            "hot": ([10**6], args.buyers),
            "spread": ([10**6] * 200, args.buyers),
            "oversell": ([args.oversell_stock], args.oversell_stock * 2),
        }
        seeded = seed(app, phases)
        from marketplace.extensions import db

        with app.app_context():
            db.engine.dispose()
        print(f"PostgreSQL checkout bench: {args.processes} processes × {args.threads} threads, "
              f"{os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.1f}")
        print(f"{'phase':9} {'checkouts':>9} {'refused':>7} {'errors':>6} {'wall s':>7} {'per s':>7} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'app CPU ms/checkout':>20} {'machine busy':>12}")
        for phase, (koperasi_id, _variants, users) in seeded.items():
            latencies, refused, errors, wall, app_cpu, busy = run_phase(url, phase, koperasi_id, users,
                                                                        args.processes, args.threads)
            attempts = max(1, len(latencies) + refused)
            print(f"{phase:9} {len(latencies):9d} {refused:7d} {errors:6d} {wall:7.2f} {len(latencies) / wall:7.1f} "
                  f"{pct(latencies, .5):7.1f} {pct(latencies, .95):7.1f} {pct(latencies, .99):7.1f} "
                  f"{app_cpu / attempts * 1000:20.1f} {busy:12.0%}")
        with app.app_context():
            from marketplace.inventory.queries import ledger_mismatches

            koperasi_id, variant_ids, _users = seeded["oversell"]
            stock = db.session.execute(sa.text("SELECT quantity, quantity_allocated FROM stock WHERE variant_id = :v"),
                                       {"v": variant_ids[0]}).one()
            orders = db.session.execute(sa.text("SELECT count(*) FROM \"order\" WHERE koperasi_id = :k"),
                                        {"k": koperasi_id}).scalar()
            negative = db.session.execute(sa.text("SELECT count(*) FROM stock WHERE quantity_allocated > quantity"
                                                  " OR quantity < 0")).scalar()
            oversold = max(0, orders - args.oversell_stock) + negative
            print(f"load average after: {os.getloadavg()[0]:.1f}")
            print(f"oversell: stock {args.oversell_stock}, buyers {args.oversell_stock * 2}, orders {orders}, "
                  f"allocated {stock.quantity_allocated}/{stock.quantity}, oversold units {oversold}, "
                  f"ledger mismatches {len(ledger_mismatches())}")
            db.engine.dispose()


if __name__ == "__main__":
    main()
