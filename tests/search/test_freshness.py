"""Acceptance: on real Redis and PostgreSQL, with a real Celery worker, a product's new name and its stock change
are searchable within 2 s of the commit. The path is the production one: commit → outbox → dispatch task on the
default queue → indexing task on the search queue → one writer commit → the reader refreshes."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product, ProductStatus, Variant
from marketplace.extensions import db
from marketplace.inventory.models import Warehouse
from marketplace.inventory.services import create_warehouse, set_stock
from marketplace.search.services import get_engine, rebuild
from search_index import SearchRequest
from tests.factories import verified_koperasi
from tests.services import redis_worker_app

DEADLINE = 2.0
pytestmark = pytest.mark.slow


@pytest.fixture
def live_app(tmp_path):
    with redis_worker_app(tmp_path, "search", SEARCH_REFRESH_INTERVAL=0) as app:
        yield app


def _shop():

    koperasi = verified_koperasi("Koppontren Nurul Jadid", "kab-probolinggo", "9120000000123",
                                 pesantren_name="Pondok Pesantren Nurul Jadid",
                                 owner_email="pemilik@nuruljadid.opop.id")
    product = catalog.create_product(koperasi, "Kopi Tongkol Paiton", status=ProductStatus.PUBLISHED)
    variant = catalog.add_variant(product, "KTP-250", 42000, 260)
    warehouse = create_warehouse(koperasi, "Gudang Pondok")
    set_stock(variant, warehouse, 12)
    db.session.commit()
    return product, variant, warehouse


def _wait_until(condition) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 5 * DEADLINE:
        if condition():
            return time.monotonic() - started
        time.sleep(0.02)
    return float("inf")


def _hits(text: str):
    return get_engine().search(SearchRequest(text=text, facets=False)).hits


def test_name_and_stock_changes_are_searchable_within_two_seconds(live_app):
    product, variant, warehouse = _shop()
    ids = product.id, variant.id, warehouse.id
    rebuild()  # reads in chunks and empties the session as it goes: load the objects again afterwards
    product, variant, warehouse = (
        db.session.get(model, i) for model, i in zip((Product, Variant, Warehouse), ids, strict=True)
    )
    assert [(h.name, h.in_stock) for h in _hits("kopi tongkol")] == [("Kopi Tongkol Paiton", True)]
    celery = live_app.extensions["celery"]
    timings = []
    with start_worker(celery, queues=["default", "search"], pool="solo", concurrency=1, perform_ping_check=False,
                      loglevel="WARNING", shutdown_timeout=10):
        for round_number, (name, quantity) in enumerate(
            [("Kopi Lanang Paiton", 0), ("Kopi Lanang Kraksaan", 7), ("Kopi Excelsa Kraksaan", 0)], 1
        ):
            product.name = name
            set_stock(variant, warehouse, quantity)
            db.session.commit()  # after this commit the outbox dispatch is requested on Redis
            expected = [(product.id, name, quantity > 0)]
            elapsed = _wait_until(
                lambda text=name, want=expected: [(h.product_id, h.name, h.in_stock) for h in _hits(text)] == want
            )
            timings.append(elapsed)
            assert elapsed <= DEADLINE, f"round {round_number}: {name!r} stock {quantity} took {elapsed:.2f} s"
    assert _hits("tongkol") == []  # the old name is gone from the index
    print("freshness seconds:", [round(t, 3) for t in timings])
