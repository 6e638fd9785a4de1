"""Issue 16's seller journey in a real browser: a koperasi owner connects the Shopee sandbox through its real
approve page, downloads the catalogue as CSV, changes a listed SKU's stock and price, imports the file, and — once
the worker's part has run (the outbox dispatch task, then the push task of each dirty account) — follows the import
result to the channel's sync log and sees the push of that SKU with the new quantity; the sandbox's own control API
holds it too. A file with one bad row lists every error of that row, changes nothing and pushes nothing. The
`journey` fixture (tests/live.py) saves a screenshot of the page when a test fails."""

import csv
import io
import itertools
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace.catalog import services as catalog
from marketplace.catalog.models import ProductStatus, Variant
from marketplace.channels.models import ChannelListing, ChannelSyncLog
from marketplace.channels.push import dirty_account_ids
from marketplace.core.celery import enqueue
from marketplace.demo.sandboxes import demo_shop_payload
from marketplace.extensions import db
from marketplace.inventory.queries import available_by_variant
from marketplace.inventory.services import create_warehouse, set_stock
from tests.browser import broken_words

_n = itertools.count(1)
SHOP_ID = 600077  # not the demo shop: the partner sync walk links that one to its own koperasi


def _worker_part(app) -> None:
    """What the worker processes do after a commit, through the same tasks: dispatch the outbox (stock.changed →
    listings marked dirty), then one channels.push_account per account with dirty listings (the after-commit hook's
    and the sweep's choice)."""
    with app.app_context():
        enqueue("outbox.dispatch", queue="default")
        accounts = dirty_account_ids()
        db.session.commit()
        for account_id in accounts:
            enqueue("channels.push_account", account_id, queue="channel.push")


def _sandbox_stock(sandbox) -> dict[str, int]:
    shop = sandbox.ctl("GET", f"/shops/{SHOP_ID}/stock")
    stock = {}
    for product in shop["products"]:
        for model in product["models"]:
            stock[model["model_sku"] or product["item_sku"]] = model["stock"]
    return stock


@pytest.fixture
def koperasi_on_shopee(live_app, shopee_sandbox, monkeypatch):
    """A koperasi with one product of two variants, and a Shopee sandbox shop listing both with the same SKUs."""
    monkeypatch.setitem(live_app.config, "SHOPEE_BASE_URL", shopee_sandbox.base_url)
    n = next(_n)
    email = f"pemilik.impor{n}@uji.opop.id"
    with live_app.app_context():
        from tests.factories import verified_koperasi

        koperasi = verified_koperasi(f"Koppontren Impor Kanal {n}", "kab-jember", f"93770000{n:05d}",
                                     legal_entity_number=f"AHU-IMP{n}", owner_email=email)
        product = catalog.create_product(koperasi, f"Kopi Impor Jember {n}", status=ProductStatus.PUBLISHED)
        warehouse = create_warehouse(koperasi, "Gudang Pondok")
        skus = {}
        for size, price, count in (("250", 45000, 8), ("500", 80000, 4)):
            variant = catalog.add_variant(product, f"IMP{n}-KOPI-{size}", price, int(size), name=f"{size} gram")
            set_stock(variant, warehouse, count)
            skus[size] = variant.sku
        db.session.commit()
        name, bodies = demo_shop_payload(koperasi.id)
        made = {"slug": koperasi.slug, "email": email, "skus": skus, "koperasi_id": koperasi.id}
    shopee_sandbox.ctl("POST", "/shops", {"name": name, "shop_id": SHOP_ID})
    for body in bodies:
        shopee_sandbox.ctl("POST", f"/shops/{SHOP_ID}/products", body)
    return made


def _connect_shopee(page, base, slug) -> None:
    """The owner's own clicks: Kanal → Hubungkan Shopee → the sandbox's approve page → back on our account page."""
    page.goto(f"{base}/seller/{slug}/kanal/")
    with page.expect_navigation():
        page.click("button:has-text('Hubungkan Shopee')")
    with page.expect_navigation():
        page.click(f"form:has(input[name=shop_id][value='{SHOP_ID}']) button[name=approve]")
    assert "terhubung" in page.content(), "the callback did not connect the shop"


def _export_rows(page, base, slug) -> tuple[list[str], list[dict]]:
    page.goto(f"{base}/seller/{slug}/impor-ekspor")
    with page.expect_download() as download:
        page.click("a.btn:has-text('CSV')")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames), list(reader)


def _csv(header: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _upload(page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.set_input_files("input[name=file]", str(path))
    with page.expect_navigation():
        page.click("form[action$='/impor'] button")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_csv_import_reaches_the_shopee_sandbox_and_the_sync_log(journey, shopee_sandbox, koperasi_on_shopee,
                                                                  tmp_path):
    shop, base = koperasi_on_shopee, journey.base
    sku, other = shop["skus"]["250"], shop["skus"]["500"]
    page = journey.page(accept_downloads=True)  # koperasi staff work on phones too
    journey.log_in(page, shop["email"])
    _connect_shopee(page, base, shop["slug"])
    assert _sandbox_stock(shopee_sandbox) == {sku: 8, other: 4}

    header, rows = _export_rows(page, base, shop["slug"])
    assert "stok_gudang_pondok" in header
    for row in rows:
        if row["sku"] == sku:
            row["stok_gudang_pondok"], row["harga"] = "15", "47.500"
    _upload(page, tmp_path, "stok-baru.csv", _csv(header, rows))
    result = page.locator("section[role=status]")
    assert "Impor berhasil" in result.inner_text()
    assert _fits(page), "the import result scrolls sideways on a 390-px phone"

    pushes_before = len(shopee_sandbox.requests_log(path="/api/v2/product/update_stock")["requests"])
    _worker_part(journey.app)

    with page.expect_navigation():
        result.locator("a", has_text="Shopee").first.click()  # the result links to the shop's sync log
    newest = page.locator("table.sync-log tbody tr", has_text=sku).first
    cells = [c.strip() for c in newest.locator("td").all_inner_texts()]
    assert "kirim" in cells and "15" in cells and "berhasil" in cells, cells
    assert _fits(page), "the sync log scrolls sideways on a 390-px phone"
    assert broken_words(page, "table.sync-log td") == []
    log_path = page.url.split(base, 1)[1]
    page.goto(f"{base}/bahasa/en?next={log_path}")  # the same page for an English-reading member
    assert page.locator("h1").inner_text().startswith("Sync log")
    cells = [c.strip() for c in page.locator("table.sync-log tbody tr", has_text=sku).first
             .locator("td").all_inner_texts()]
    assert "push" in cells and "15" in cells and "done" in cells, cells

    assert _sandbox_stock(shopee_sandbox) == {sku: 15, other: 4}
    assert len(shopee_sandbox.requests_log(path="/api/v2/product/update_stock")["requests"]) == pushes_before + 1
    with journey.app.app_context():
        variant = db.session.scalar(select(Variant).where(Variant.sku == sku))
        assert variant.price == 47500 and available_by_variant([variant.id])[variant.id] == 15


def test_a_bad_row_lists_its_errors_and_changes_and_pushes_nothing(journey, shopee_sandbox, koperasi_on_shopee,
                                                                   tmp_path):
    shop, base, app = koperasi_on_shopee, journey.base, journey.app
    sku, other = shop["skus"]["250"], shop["skus"]["500"]
    page = journey.page(accept_downloads=True)
    journey.log_in(page, shop["email"])
    _connect_shopee(page, base, shop["slug"])
    _worker_part(app)
    with app.app_context():
        log_before = db.session.scalar(select(db.func.count(ChannelSyncLog.id)))
    header, rows = _export_rows(page, base, shop["slug"])
    for row in rows:
        if row["sku"] == sku:
            row["stok_gudang_pondok"] = "20"  # a good change that must not be applied
        if row["sku"] == other:
            row["stok_gudang_pondok"], row["harga"] = "-3", "delapan puluh ribu"
    bad_row = 2 + next(i for i, row in enumerate(rows) if row["sku"] == other)
    _upload(page, tmp_path, "salah.csv", _csv(header, rows))
    alert = page.locator("section[role=alert]")
    assert "tidak ada yang diubah" in alert.inner_text()
    lines = [[c.strip() for c in tr.locator("td").all_inner_texts()] for tr in alert.locator("tbody tr").all()]
    assert {(line[0], line[1]) for line in lines} == {(str(bad_row), "harga"), (str(bad_row), "stok_gudang_pondok")}
    assert _fits(page), "the error list scrolls sideways on a 390-px phone"

    pushes_before = len(shopee_sandbox.requests_log(path="/api/v2/product/update_stock")["requests"])
    _worker_part(app)
    assert _sandbox_stock(shopee_sandbox) == {sku: 8, other: 4}
    assert len(shopee_sandbox.requests_log(path="/api/v2/product/update_stock")["requests"]) == pushes_before
    with app.app_context():
        ids = {v.sku: v.id for v in db.session.scalars(select(Variant).where(Variant.sku.in_([sku, other])))}
        assert available_by_variant(list(ids.values())) == {ids[sku]: 8, ids[other]: 4}
        assert db.session.scalar(select(db.func.count(ChannelSyncLog.id))) == log_before
        assert not db.session.scalar(select(db.func.count(ChannelListing.id)).where(
            ChannelListing.variant_id.in_(ids.values()), ChannelListing.push_requested > ChannelListing.push_done))
