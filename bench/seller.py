"""Seller dashboard benchmark: every dashboard page for a koperasi with 5,000 variants, on SQLite and PostgreSQL.

    .venv/bin/python bench/seller.py [--variants 5000] [--requests 40] [--backend sqlite|postgresql|both]

Builds a fresh database per backend (migrations, one koperasi with 2 variants per product, certificates, an audit
log, plus whatever the stock and order domains seed), logs in as the owner and requests each page in-process
through the WSGI app (no network, so the figures are the server's own time). Prints, per page, the cold first
request and then p50/p95/p99 over repeated requests; the target is p95 <= 200 ms.
"""

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import scratch_postgres  # noqa: E402

PASSWORD = "rahasia123"
TARGET_MS = 200


@contextmanager
def database(backend: str, tmp: Path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'bench.db'}"
        return
    with scratch_postgres() as url:
        yield url


def seed(variant_count: int) -> dict:
    """One koperasi with ``variant_count`` variants through the same bulk import the sellers use."""
    from datetime import date, timedelta

    from marketplace.accounts.models import User
    from marketplace.bulk.apply import apply_plan
    from marketplace.bulk.format import COLUMNS, Table
    from marketplace.bulk.plan import plan_import
    from marketplace.catalog import services as catalog
    from marketplace.catalog.models import CertificationKind, Product
    from marketplace.extensions import db
    from marketplace.koperasi import services as koperasi_services
    from marketplace.koperasi.models import Role, VerificationStatus

    catalog.create_category("Kopi")
    pesantren = koperasi_services.create_pesantren("Pondok Pesantren Bench", "kab-jember")
    koperasi = koperasi_services.create_koperasi(pesantren, "Koppontren Bench", nib="9999999999999",
                                                 legal_entity_number="AHU-1", region_code="kab-jember")
    koperasi_services.change_status(koperasi, VerificationStatus.SUBMITTED)
    koperasi_services.change_status(koperasi, VerificationStatus.VERIFIED)
    owner = User(email="pemilik@bench.opop.id", name="Pemilik Bench")
    owner.set_password(PASSWORD)
    db.session.add(owner)
    membership = koperasi_services.add_member(koperasi, owner, Role.OWNER)
    rows = []
    for i in range(variant_count):
        p = i // 2
        rows.append((i + 2, {"kode_produk": f"kopi-bench-{p}", "nama_produk": f"Kopi Bench {p}", "kategori": "kopi",
                             "status": "terbit", "deskripsi": "<p>Kopi robusta pilihan.</p>", "sku": f"KB-{i:06d}",
                             "nama_varian": f"{250 * (1 + i % 2)} g", "opsi": f"Berat={250 * (1 + i % 2)} g",
                             "harga": str(25000 + 1000 * (i % 9)), "berat_gram": "280", "aktif": "ya"}))
    plan = plan_import(koperasi.id, Table(header=list(COLUMNS), rows=rows))
    assert not plan.errors, plan.errors[:3]
    apply_plan(membership, plan)
    products = db.session.scalars(sa.select(Product).where(Product.koperasi_id == koperasi.id)
                                  .order_by(Product.id).limit(300)).all()
    for n, product in enumerate(products):
        catalog.set_certification(product, CertificationKind.PIRT, f"{100000000000000 + n}",
                                  date.today() + timedelta(days=n % 400))
    db.session.commit()
    warehouse_id, number = seed_stock_and_orders(koperasi, membership)
    db.session.commit()
    product = products[0]
    return {"slug": koperasi.slug, "product_id": product.id, "variant_id": product.variants[0].id,
            "email": owner.email, "warehouse_id": warehouse_id, "number": number}


def seed_stock_and_orders(koperasi, membership, orders: int = 1500) -> tuple[int, str]:
    """Two warehouses with stock for every variant (through the bulk level setter, so the ledger is real), and
    ``orders`` orders over the last 30 days in every status."""
    import random
    from datetime import timedelta

    from marketplace.catalog.models import Variant
    from marketplace.core.timeutil import utcnow
    from marketplace.extensions import db
    from marketplace.inventory.levels import set_stock_levels
    from marketplace.inventory.models import MovementReason
    from marketplace.inventory.services import create_warehouse
    from marketplace.orders.models import Order, OrderLine, OrderStatus

    rng = random.Random(5)
    main = create_warehouse(koperasi, "Gudang Pondok")
    town = create_warehouse(koperasi, "Toko Kota")
    variants = db.session.execute(sa.select(Variant.id, Variant.sku, Variant.price, Variant.product_id)
                                  .where(Variant.koperasi_id == koperasi.id)).all()
    levels = {}
    for v in variants:
        levels[(v.id, main.id)] = rng.choice([0, 2, 4, 10, 25, 60])
        levels[(v.id, town.id)] = rng.choice([0, 0, 3, 8])
    set_stock_levels(koperasi.id, levels, reason=MovementReason.INITIAL, user_id=membership.user_id)
    now = utcnow()
    statuses = [OrderStatus.COMPLETED] * 5 + [OrderStatus.SHIPPED] * 2 + [OrderStatus.PACKING, OrderStatus.UNPAID,
                                                                           OrderStatus.CANCELLED]
    for n in range(orders):
        v = variants[rng.randrange(len(variants))]
        quantity = rng.randint(1, 3)
        created = now - timedelta(minutes=rng.randrange(30 * 24 * 60))
        status = rng.choice(statuses)
        order = Order(number=f"B{n:07d}", checkout_token=f"bench-{n}", koperasi_id=koperasi.id,
                      email=f"pembeli{n}@contoh.id", status=status, courier="jne",
                      address={"recipient": f"Pembeli {n}", "phone": "+6281234567890", "street": "Jl. Mawar",
                               "region_code": "kota-surabaya", "postal_code": "60111"},
                      subtotal=v.price * quantity, shipping_cost=9000, total=v.price * quantity + 9000,
                      weight_grams=280 * quantity, created_at=created,
                      paid_at=None if status in (OrderStatus.UNPAID, OrderStatus.CANCELLED) else created)
        order.lines.append(OrderLine(variant_id=v.id, product_name=f"Kopi {v.product_id}", sku=v.sku,
                                     unit_price=v.price, quantity=quantity, weight_grams=280))
        db.session.add(order)
    db.session.flush()
    return main.id, "B0000000"


def pages(ctx: dict) -> list[tuple[str, str]]:
    s = ctx["slug"]
    base = [
        ("ringkasan", f"/seller/{s}/"),
        ("produk", f"/seller/{s}/produk"),
        ("produk hal. 50", f"/seller/{s}/produk?hal=50"),
        ("produk cari", f"/seller/{s}/produk?q=kb-0012"),
        ("produk draf", f"/seller/{s}/produk?status=draft"),
        ("ubah produk", f"/seller/{s}/produk/{ctx['product_id']}"),
        ("ubah varian", f"/seller/{s}/produk/{ctx['product_id']}/varian/{ctx['variant_id']}"),
        ("anggota", f"/seller/{s}/anggota"),
        ("log", f"/seller/{s}/log"),
        ("impor/ekspor", f"/seller/{s}/impor-ekspor"),
    ]
    return base + [
        ("stok", f"/seller/{s}/stok/"),
        ("stok menipis", f"/seller/{s}/stok/?menipis=1"),
        ("stok cari", f"/seller/{s}/stok/?q=kb-0001"),
        ("stok varian+riwayat", f"/seller/{s}/stok/{ctx['variant_id']}"),
        ("gudang", f"/seller/{s}/gudang"),
        ("pesanan", f"/seller/{s}/pesanan"),
        ("pesanan perlu dikemas", f"/seller/{s}/pesanan?tab=perlu-dikemas"),
        ("pesanan cari pembeli", f"/seller/{s}/pesanan?q=pembeli 12"),
        ("detail pesanan", f"/seller/{s}/pesanan/{ctx['number']}"),
        ("slip", f"/seller/{s}/pesanan/{ctx['number']}/slip"),
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(backend: str, variant_count: int, repeats: int) -> list[tuple]:
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.extensions import db

    with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as url:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=str(Path(tmp) / "media"),
                         MAIL_FILE_PATH=str(Path(tmp) / "mail"))
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            ctx = seed(variant_count)
            print(f"[{backend}] seeded {variant_count} variants in {time.perf_counter() - started:.1f}s")
        client = app.test_client()
        assert client.post("/masuk", data={"email": ctx["email"], "password": PASSWORD}).status_code == 302
        results = []
        for name, path in pages(ctx):
            started = time.perf_counter()
            response = client.get(path)
            cold = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (path, response.status_code)
            timings = []
            for _ in range(repeats):
                started = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            results.append((backend, name, cold, statistics.median(timings), percentile(timings, 0.95),
                            percentile(timings, 0.99)))
        started = time.perf_counter()
        size = len(client.get(f"/seller/{ctx['slug']}/ekspor.csv").data)
        results.append((backend, f"ekspor.csv ({size // 1024} KB)", (time.perf_counter() - started) * 1000,
                        float("nan"), float("nan"), float("nan")))
        with app.app_context():
            db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    rows = []
    for backend in backends:
        rows.extend(run(backend, args.variants, args.requests))
    print(f"\n{'backend':<11}{'page':<26}{'cold ms':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    worst = 0.0
    for backend, name, cold, p50, p95, p99 in rows:
        print(f"{backend:<11}{name:<26}{cold:>9.1f}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}")
        if p95 == p95:
            worst = max(worst, p95)
    print(f"\nworst page p95: {worst:.1f} ms (target <= {TARGET_MS} ms): {'OK' if worst <= TARGET_MS else 'OVER'}")


if __name__ == "__main__":
    main()
