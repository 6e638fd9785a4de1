"""Exactly once and no oversell with real concurrent connections (committed data on a scratch database, on
PostgreSQL and on a SQLite file): the same partner order arriving by webhook and by poll at the same moment, and
partner orders racing our own sales for the last units."""

import threading
import zlib

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus
from marketplace.extensions import db
from marketplace.inventory.models import Stock
from marketplace.inventory.queries import ledger_mismatches
from marketplace.inventory.services import LineRequest, allocate_lines, set_stock
from marketplace.orders import partner
from marketplace.orders.models import Order, OrderLine, OrderStatus, PartnerFlag, PartnerOrder
from tests.factories import verified_koperasi
from tests.services import scratch_postgres_database
from tests.stock_fixtures import warehouse_of

WORKERS = 12


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def race_app(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("partner-race")
    options = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 5, "max_overflow": WORKERS + 5}}
    if request.param == "sqlite":
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{base / 'race.db'}", MEDIA_DIR=str(base))
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()
        return
    with scratch_postgres_database() as url:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MEDIA_DIR=str(base), **options)
        with app.app_context():
            upgrade()
        yield app
        with app.app_context():
            db.engine.dispose()


def _variant(app, label: str, quantity: int) -> tuple[int, int, int]:
    with app.app_context():
        nib = f"{7000000000000 + zlib.crc32(label.encode()) % 10**9}"
        koperasi = verified_koperasi(f"Koperasi {label}", "kab-jombang", nib, legal_entity_number="AHU-P")
        product = catalog.create_product(koperasi, f"Madu {label}", status=ProductStatus.PUBLISHED)
        variant = catalog.add_variant(product, f"{label}-1", 30000, 500, name="250 ml")
        set_stock(variant, warehouse_of(koperasi), quantity)
        db.session.commit()
        return koperasi.id, variant.id, variant.price


def _data(koperasi_id, variant_id, price, external_id, quantity=1, status=OrderStatus.PACKING, updated_at=100):
    return partner.PartnerOrderData(
        platform="shopee", external_id=external_id, koperasi_id=koperasi_id, status=status,
        partner_status=status.name, updated_at=updated_at,
        lines=[partner.PartnerLine(sku="x", quantity=quantity, unit_price=price, variant_id=variant_id)])


def _all_at_once(app, jobs) -> list:
    barrier = threading.Barrier(len(jobs))
    errors: list = []

    def run(job):
        with app.app_context():
            barrier.wait()
            try:
                job()
                db.session.commit()
            except Exception as error:  # noqa: BLE001  collected and asserted below
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_one_partner_order_delivered_by_many_at_once_is_imported_once(race_app):
    koperasi_id, variant_id, price = _variant(race_app, "dup", 10)
    statuses = [OrderStatus.UNPAID, OrderStatus.PACKING, OrderStatus.PACKING, OrderStatus.SHIPPED]
    jobs = [lambda i=i: partner.import_partner_order(
        _data(koperasi_id, variant_id, price, "DUP1", quantity=3, status=statuses[i % 4], updated_at=100 + i % 4))
        for i in range(WORKERS)]
    assert _all_at_once(race_app, jobs) == []
    with race_app.app_context():
        rows = db.session.scalars(select(PartnerOrder).where(PartnerOrder.external_id == "DUP1")).all()
        assert len(rows) == 1
        order = rows[0].order
        assert order.status == OrderStatus.SHIPPED and rows[0].partner_updated_at == 103
        stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant_id))
        assert (stock.quantity, stock.quantity_allocated) == (7, 0)
        assert ledger_mismatches() == []


def test_partner_orders_and_local_sales_for_the_last_units(race_app):
    """4 units; 6 partner orders and 6 local sales of one unit each, all at once. Exactly 4 win; every partner
    order is kept (the losers cancelled and flagged for a cancel on the platform); local losers are refused."""
    koperasi_id, variant_id, price = _variant(race_app, "last", 4)
    with race_app.app_context():
        local_lines = []
        for i in range(WORKERS // 2):
            order = Order(number=f"OP-RACE-{i}", checkout_token=f"race-{i}", koperasi_id=koperasi_id, email="a@b.c",
                          address={}, courier="jne", subtotal=price, shipping_cost=0, total=price, weight_grams=500)
            order.lines.append(OrderLine(variant_id=variant_id, product_name="Madu", sku="last-1", unit_price=price,
                                         quantity=1, weight_grams=500))
            db.session.add(order)
            db.session.flush()
            local_lines.append(order.lines[0].id)
        db.session.commit()
    jobs = []
    for i in range(WORKERS // 2):
        jobs.append(lambda i=i: partner.import_partner_order(_data(koperasi_id, variant_id, price, f"LAST{i}")))
        jobs.append(lambda i=i: allocate_lines([LineRequest(variant_id, 1, local_lines[i])], reference=f"OP-{i}"))
    errors = _all_at_once(race_app, jobs)
    assert all("InsufficientStock" in error for error in errors), errors
    with race_app.app_context():
        stock = db.session.scalar(select(Stock).where(Stock.variant_id == variant_id))
        assert (stock.quantity, stock.quantity_allocated) == (4, 4)
        imported = db.session.scalars(select(PartnerOrder).where(PartnerOrder.external_id.like("LAST%"))).all()
        assert len(imported) == WORKERS // 2
        won_by_partner = [p for p in imported if p.flag is None]
        refused = [p for p in imported if p.flag == PartnerFlag.OUT_OF_STOCK]
        assert len(won_by_partner) + (WORKERS // 2 - len(errors)) == 4
        assert len(refused) == WORKERS // 2 - len(won_by_partner)
        assert all(p.order.status == OrderStatus.CANCELLED for p in refused)
        assert ledger_mismatches() == []
        assert db.session.scalar(select(func.count()).select_from(Order).where(Order.koperasi_id == koperasi_id)) \
            == WORKERS
