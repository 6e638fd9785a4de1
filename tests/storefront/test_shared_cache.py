"""Production shape: several workers (apps) share one Redis page cache over one committed PostgreSQL database.
A page rendered by one worker is served by the others; a change committed anywhere shows on every worker at once."""

import uuid

import pytest
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus, Variant
from marketplace.extensions import db
from marketplace.inventory.models import MovementReason, Warehouse
from marketplace.inventory.services import adjust_stock, create_warehouse, set_stock
from tests.factories import verified_koperasi
from tests.querycount import count_queries
from tests.services import REDIS_URL, require_redis, scratch_postgres_database


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    require_redis()
    prefix = f"test-{uuid.uuid4().hex}:"
    with scratch_postgres_database() as url:
        apps = [create_app("testing", SQLALCHEMY_DATABASE_URI=url, CACHE_TYPE="RedisCache",
                           CACHE_REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=prefix,
                           MEDIA_DIR=str(tmp_path_factory.mktemp("media"))) for _ in range(3)]
        with apps[0].app_context():
            upgrade()
        yield apps
        for app in apps:
            with app.app_context():
                db.engine.dispose()


def _html(app, path: str) -> tuple[str, list[str]]:
    with app.app_context(), count_queries(db.engine) as statements:
        response = app.test_client().get(path)
        assert response.status_code == 200
        return response.get_data(as_text=True), list(statements)


def test_workers_share_rendered_pages_and_see_every_commit(workers):
    web_a, web_b, writer = workers
    with writer.app_context():
        koperasi = verified_koperasi("Koperasi Bersama", "kab-jombang", "1234567890123")
        product = catalog.create_product(koperasi, "Sarung Tenun Bersama", status=ProductStatus.PUBLISHED)
        variant = catalog.add_variant(product, "SRG-1", 150000, 600)
        warehouse = create_warehouse(koperasi, "Gudang Bersama")
        set_stock(variant, warehouse, 6, reason=MovementReason.INITIAL)
        db.session.commit()
        path, ids = f"/produk/{product.slug}", (variant.id, warehouse.id)

    page, rendered = _html(web_a, path)
    assert "Stok 6" in page and any("FROM certification" in s for s in rendered)
    page, served = _html(web_b, path)  # the other worker renders nothing
    assert "Sarung Tenun Bersama" in page and len(served) == 1  # versions and live stock in one statement

    with writer.app_context():
        adjust_stock(db.session.get(Variant, ids[0]), db.session.get(Warehouse, ids[1]), -4)
        db.session.commit()
    page, served = _html(web_b, path)
    assert "Stok 2" in page and len(served) == 1  # stock is live; the page stayed cached

    with writer.app_context():
        db.session.get(Variant, ids[0]).price = 175000
        db.session.commit()
    for web in (web_a, web_b):
        page, _statements = _html(web, path)
        assert "Rp 175.000" in page and "Rp 150.000" not in page


def test_a_page_read_during_an_open_write_is_never_served_after_its_commit(workers):
    web, _other, writer = workers
    with writer.app_context():
        koperasi = verified_koperasi("Koperasi Balapan", "kota-kediri", "1234567890124")
        product = catalog.create_product(koperasi, "Tahu Takwa Balapan", status=ProductStatus.PUBLISHED)
        variant = catalog.add_variant(product, "TAHU-1", 20000, 500)
        set_stock(variant, create_warehouse(koperasi, "Gudang Balapan"), 9, reason=MovementReason.INITIAL)
        db.session.commit()
        path, variant_id = f"/produk/{product.slug}", variant.id

    with writer.app_context():
        db.session.get(Variant, variant_id).price = 22500
        db.session.flush()  # written, locked, not committed
        page, _statements = _html(web, path)  # rendered and cached from the committed (old) price
        assert "Rp 20.000" in page
        db.session.commit()
    page, _statements = _html(web, path)
    assert "Rp 22.500" in page and "Rp 20.000" not in page
