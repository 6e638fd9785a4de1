"""A bulk import is capped in rows and read as a stream: a million-row file used to hold the request for 70 s and
create a million products in the worker."""

import io
import tracemalloc

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from marketplace.bulk.models import ImportJob, ImportStatus
from marketplace.bulk.services import run_import_job
from marketplace.catalog.models import Variant
from tests.seller.test_bulk import _big_csv


@pytest.fixture
def small_caps(app):
    caps = {"SELLER_IMPORT_SYNC_MAX_ROWS": 20, "BULK_IMPORT_MAX_ROWS": 100}
    saved = {name: app.config[name] for name in caps if name in app.config}
    app.config.update(caps)
    yield
    for name in caps:
        app.config.pop(name, None)
    app.config.update(saved)


def _variants(db, koperasi_id):
    return db.session.scalar(select(func.count()).select_from(Variant).where(Variant.koperasi_id == koperasi_id))


def test_a_file_over_the_cap_is_refused_by_the_worker_and_changes_nothing(client, db, login, make_shop, small_caps):
    shop = make_shop()
    login(shop.owner)
    before = _variants(db, shop.koperasi.id)
    response = client.post(f"/seller/{shop.koperasi.slug}/impor", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(_big_csv(101)), "besar.csv")})
    assert response.status_code == 302
    job = db.session.scalar(select(ImportJob).where(ImportJob.koperasi_id == shop.koperasi.id)
                            .order_by(ImportJob.id.desc()))
    run_import_job(job.id)
    db.session.refresh(job)
    assert job.status == ImportStatus.FAILED
    assert "maksimal 100 baris" in job.errors[0]["message"]
    assert _variants(db, shop.koperasi.id) == before


def test_a_file_at_the_cap_imports(client, db, login, make_shop, small_caps):
    shop = make_shop()
    login(shop.owner)
    before = _variants(db, shop.koperasi.id)
    client.post(f"/seller/{shop.koperasi.slug}/impor", content_type="multipart/form-data",
                data={"file": (io.BytesIO(_big_csv(100)), "pas.csv")})
    job = db.session.scalar(select(ImportJob).where(ImportJob.koperasi_id == shop.koperasi.id)
                            .order_by(ImportJob.id.desc()))
    run_import_job(job.id)
    assert _variants(db, shop.koperasi.id) == before + 100


def test_reading_stops_at_the_cap_instead_of_loading_the_whole_sheet():
    """Reading is a stream that stops at the cap: the rows past it are never held in memory."""
    from marketplace.bulk.format import TooManyRows, read_table

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Produk")
    sheet.append(["nama_produk", "sku", "harga", "berat_gram"])
    for n in range(5_000):
        sheet.append([n, n, 1000, 100])  # numbers: no shared-strings table, the shape of the million-row attack
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    tracemalloc.start()
    try:
        with pytest.raises(TooManyRows):
            read_table(data, "besar.xlsx", max_rows=100)
        capped_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        read_table(data, "besar.xlsx", max_rows=6_000)
        full_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert capped_peak * 3 < full_peak, (capped_peak, full_peak)
