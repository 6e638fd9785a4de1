"""A large import on the production path: the request stores the file and enqueues on Redis, a real Celery worker
validates (committing progress the page polls) and applies everything in one transaction on PostgreSQL."""

import io
import time

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import func, select

from marketplace.catalog.models import Variant
from marketplace.extensions import db
from marketplace.inventory.services import create_warehouse
from tests.factories import verified_koperasi
from tests.seller.test_bulk import _big_csv
from tests.services import redis_worker_app

pytestmark = pytest.mark.slow


@pytest.fixture
def worker_app(tmp_path):
    with redis_worker_app(tmp_path, "seller") as app:
        koperasi = verified_koperasi("Kopontren Sidogiri", "kab-pasuruan", "9120000000999",
                                     pesantren_name="Pondok Pesantren Sidogiri", legal_entity_number="AHU-9",
                                     owner_email="pemilik@sidogiri.opop.id")
        create_warehouse(koperasi, "Gudang Pondok")
        db.session.commit()
        app.config["TEST_SLUG"], app.config["TEST_KOPERASI"] = koperasi.slug, koperasi.id
        db.session.remove()
        yield app


def test_big_import_runs_in_a_real_worker_with_progress(worker_app):
    client = worker_app.test_client()
    login = client.post("/masuk", data={"email": "pemilik@sidogiri.opop.id", "password": "rahasia123"})
    assert login.status_code == 302
    slug = worker_app.config["TEST_SLUG"]
    response = client.post(f"/seller/{slug}/impor", data={"file": (io.BytesIO(_big_csv(3_000, stock=True)), "b.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    status_url = response.headers["Location"] + "/status"
    assert client.get(status_url).get_json()["status"] == "pending"  # nothing runs without the worker
    seen = []
    with start_worker(worker_app.extensions["celery"], queues=["default"], pool="solo", concurrency=1,
                      perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = client.get(status_url).get_json()
            seen.append((state["status"], state["percent"]))
            if state["finished"]:
                break
            time.sleep(0.02)
    assert seen[-1] == ("done", 100), seen[-5:]
    percents = [p for _, p in seen]
    assert percents == sorted(percents)  # the bar only moves forward
    with worker_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Variant).where(
            Variant.koperasi_id == worker_app.config["TEST_KOPERASI"])) == 3_000
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3000 varian baru" in page
    print("progress seen:", sorted(set(seen), key=lambda s: s[1]))
