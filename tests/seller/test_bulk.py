"""Bulk CSV/XLSX: export → import round-trips unchanged; bad files are reported by row and column and change
nothing; a 10,000-row file goes through the background job and applies in one transaction."""

import io
import time

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from marketplace.bulk.export import export_catalog
from marketplace.bulk.models import ImportJob, ImportStatus
from marketplace.catalog import versions
from marketplace.catalog.models import Product, ProductStatus, Variant
from marketplace.inventory.models import Stock
from marketplace.inventory.queries import ledger_mismatches
from marketplace.outbox.models import OutboxEvent

HEADER = "kode_produk,nama_produk,kategori,status,deskripsi,sku,nama_varian,opsi,harga,berat_gram,aktif"


def upload(client, slug: str, content: bytes, filename: str = "produk.csv"):
    return client.post(f"/seller/{slug}/impor", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data", follow_redirects=True)


def count(db, model, koperasi_id) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(model.koperasi_id == koperasi_id))


def test_export_then_import_changes_nothing(client, db, login, make_shop, make_category, snapshot):
    shop = make_shop()
    login(shop.owner)
    exported = client.get(f"/seller/{shop.koperasi.slug}/ekspor.csv")
    assert exported.headers["Content-Type"].startswith("text/csv")
    before = snapshot()
    page = upload(client, shop.koperasi.slug, exported.data).get_data(as_text=True)
    assert "0 produk baru, 0 produk diperbarui, 0 varian baru, 0 varian diperbarui" in page
    after = snapshot()
    assert after[:-1] == before[:-1]  # only the audit log grew (the import itself is recorded)
    assert client.get(f"/seller/{shop.koperasi.slug}/ekspor.csv").data == exported.data


def test_xlsx_round_trip(client, db, login, make_shop, snapshot):
    shop = make_shop()
    login(shop.owner)
    exported = client.get(f"/seller/{shop.koperasi.slug}/ekspor.xlsx").data
    assert exported[:2] == b"PK"
    before = snapshot()
    page = upload(client, shop.koperasi.slug, exported, "produk.xlsx").get_data(as_text=True)
    assert "0 varian diperbarui" in page
    assert snapshot()[:-1] == before[:-1]


def test_import_creates_and_updates(client, db, login, make_shop, make_category):
    shop = make_shop()
    category = make_category("Madu")
    login(shop.owner)
    last_event = db.session.scalar(select(func.max(OutboxEvent.id))) or 0
    csv = "\n".join([
        HEADER,
        f"madu-hutan,Madu Hutan,{category.slug},draf,<b>asli</b>,MADU-250,250 ml,Isi=250 ml,65.000,380,ya",
        "madu-hutan,,,,,MADU-500,500 ml,Isi=500 ml,120000,720,ya",
        f"{shop.product.slug},{shop.product.name},,terbit,,{shop.variant.sku},,,Rp 26.000,250,ya",
    ]).encode()
    page = upload(client, shop.koperasi.slug, csv).get_data(as_text=True)
    assert "1 produk baru" in page and "2 varian baru" in page and "1 varian diperbarui" in page
    madu = db.session.scalar(
        select(Product).where(Product.koperasi_id == shop.koperasi.id, Product.slug == "madu-hutan"))
    assert madu.category_id == category.id and madu.description == "<b>asli</b>"
    assert [(v.sku, v.price, v.options) for v in madu.variants] == [
        ("MADU-250", 65000, {"Isi": "250 ml"}), ("MADU-500", 120000, {"Isi": "500 ml"})]
    assert db.session.get(Variant, shop.variant.id).price == 26000
    # the bulk statements still announce what changed (search re-index, storefront cache), once per product
    events = db.session.execute(select(OutboxEvent.topic, OutboxEvent.payload).where(OutboxEvent.id > last_event)
                                .order_by(OutboxEvent.id)).all()
    assert sorted(e.payload["product_id"] for e in events if e.topic == "product.changed") == sorted(
        [madu.id, shop.product.id])
    assert all(v > 0 for v in versions.current([("product", madu.id), ("product", shop.product.id)]))


def test_bad_file_is_reported_by_row_and_column_and_changes_nothing(client, db, login, make_shop, snapshot):
    shop = make_shop()
    other = make_shop()
    login(shop.owner)
    csv = "\n".join([
        HEADER,
        "kopi-a,Kopi A,,,,KOPI-A1,,,abc,100,ya",             # row 2: bad price
        "kopi-a,Kopi A,,,,KOPI-A2,,,1000,-3,ya",             # row 3: negative weight
        "kopi-a,Kopi A,,,,kopi-a1,,,1000,100,ya",            # row 4: duplicate SKU (case-insensitive)
        "kopi-b,Kopi B,kategori-khayalan,,,KOPI-B1,,,1000,100,ya",  # row 5: unknown category
        "kopi-c,Kopi C,,entah,,KOPI-C1,,,1000,100,mungkin",   # row 6: status and aktif
        f"kopi-d,Kopi D,,,,{other.variant.sku},,,1000,100,ya",  # row 7: fine (SKUs are per koperasi)
        f"kopi-e,Kopi E,,,,{shop.variant.sku},,,1000,100,ya",   # row 8: SKU belongs to another product
    ]).encode()
    before = snapshot()
    response = upload(client, shop.koperasi.slug, csv)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for row, column, text in [(2, "harga", "bukan bilangan bulat"), (3, "berat_gram", "minimal 1"),
                              (4, "sku", "dobel: sudah dipakai di baris 2"), (5, "kategori", "tidak dikenal"),
                              (6, "status", "tidak dikenal"), (6, "aktif", "ya"), (8, "kode_produk", "milik produk")]:
        assert f"<td>{row}</td><td>{column}</td><td>" in html and text in html, (row, column)
    assert "<td>7</td>" not in html
    assert snapshot() == before


def test_wrong_columns_and_bad_encoding_are_refused(client, login, make_shop, snapshot):
    shop = make_shop()
    login(shop.owner)
    before = snapshot()
    html = upload(client, shop.koperasi.slug, b"nama,sku,harga\nKopi,K1,1000\n").get_data(as_text=True)
    assert "Kolom wajib &#34;nama_produk&#34; tidak ada" in html and "berat_gram" in html
    html = upload(client, shop.koperasi.slug, f"{HEADER}\nx,Keripik Tempe Gurih,,,,K1,,,1000,100,ya\n"
                  .encode("utf-16")).get_data(as_text=True)
    assert "bukan teks UTF-8" in html
    html = upload(client, shop.koperasi.slug, "nama_produk,sku,harga,berat_gram\nKopi Ñ,K1,1000,100\n"
                  .encode("cp1252")).get_data(as_text=True)
    assert "bukan teks UTF-8" in html
    assert snapshot() == before


def test_excel_semicolon_csv_with_indonesian_numbers_is_read(client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    content = "\ufeffnama_produk;sku;harga;berat_gram\r\nSambal Bawang;SMB-1;22.000;220\r\n".encode()
    assert "1 varian baru" in upload(client, shop.koperasi.slug, content).get_data(as_text=True)
    variant = db.session.scalar(select(Variant).where(Variant.koperasi_id == shop.koperasi.id, Variant.sku == "SMB-1"))
    assert variant.price == 22000 and variant.product.name == "Sambal Bawang"


def test_cannot_publish_expired_or_variantless_products_by_import(client, db, login, make_shop, snapshot):
    from datetime import date, timedelta

    from marketplace.catalog import services as catalog
    from marketplace.catalog.models import CertificationKind

    shop = make_shop()
    product = db.session.get(Product, shop.product.id)
    catalog.change_product_status(product, ProductStatus.DRAFT)
    catalog.set_certification(product, CertificationKind.PIRT, "123456789012345", date.today() - timedelta(days=3))
    db.session.commit()
    login(shop.owner)
    before = snapshot()
    csv = f"{HEADER}\n{product.slug},{product.name},,terbit,,{shop.variant.sku},,,1000,100,ya\n".encode()
    html = upload(client, shop.koperasi.slug, csv).get_data(as_text=True)
    assert "sertifikat kedaluwarsa" in html
    assert snapshot() == before


def _big_csv(rows: int, bad_row: int | None = None, stock: bool = False) -> bytes:
    lines = [HEADER + (",stok_gudang_pondok" if stock else "")]
    for i in range(rows):
        product = i // 2
        price = "12.500" if (i + 2) != bad_row else "dua ribu"
        lines.append(f"produk-massal-{product},Produk Massal {product},,draf,,MASSAL-{i:05d},Varian {i % 2},"
                     f"Ukuran={i % 2},{price},{100 + i % 7},ya" + (f",{i % 40}" if stock else ""))
    return ("\n".join(lines) + "\n").encode()


def test_ten_thousand_rows_one_bad_row_then_fixed_in_one_transaction(app, client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    slug, koperasi_id = shop.koperasi.slug, shop.koperasi.id
    variants_before = count(db, Variant, koperasi_id)

    started = time.perf_counter()
    page = upload(client, slug, _big_csv(10_000, bad_row=7_777, stock=True)).get_data(as_text=True)
    rejected_in = time.perf_counter() - started
    assert "<td>7777</td><td>harga</td>" in page and "1 kesalahan" in page
    assert count(db, Variant, koperasi_id) == variants_before
    job = db.session.scalar(select(ImportJob).where(ImportJob.koperasi_id == koperasi_id).order_by(ImportJob.id.desc()))
    assert job.status == ImportStatus.FAILED and job.errors == [
        {"row": 7777, "column": "harga", "message": 'Harga "dua ribu" bukan bilangan bulat.'}]

    commits, writes = [0], []

    def on_commit(session):
        commits[0] += 1

    def on_execute(orm_execute_state):
        if orm_execute_state.is_insert or orm_execute_state.is_update:
            table = orm_execute_state.statement.table.name
            if table in ("product", "variant", "stock", "stock_movement"):
                writes.append((commits[0], table))

    started = time.perf_counter()
    event.listen(Session, "after_commit", on_commit)
    event.listen(Session, "do_orm_execute", on_execute)
    try:
        page = upload(client, slug, _big_csv(10_000, stock=True)).get_data(as_text=True)
    finally:
        event.remove(Session, "after_commit", on_commit)
        event.remove(Session, "do_orm_execute", on_execute)
    applied_in = time.perf_counter() - started
    assert "5000 produk baru" in page and "10000 varian baru" in page
    assert count(db, Variant, koperasi_id) == variants_before + 10_000
    assert count(db, Product, koperasi_id) == 1 + 5_000
    stocked = db.session.scalar(select(func.count()).select_from(Stock).join(Variant, Variant.id == Stock.variant_id)
                                .where(Variant.koperasi_id == koperasi_id, Variant.sku.like("MASSAL-%")))
    assert stocked == 10_000 - 250  # every variant with a non-zero count (i % 40 == 0 is left without a row)
    assert ledger_mismatches() == []
    # every product and variant write happened between the same two commits: one transaction
    assert {table for _, table in writes} == {"product", "variant", "stock", "stock_movement"}
    assert len({commit for commit, _ in writes}) == 1
    dialect = db.engine.dialect.name
    print(f"\n10k-row import on {dialect}: rejected in {rejected_in:.2f}s, applied in {applied_in:.2f}s")


def test_big_import_shows_a_progress_page(client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    response = client.post(f"/seller/{shop.koperasi.slug}/impor",
                           data={"file": (io.BytesIO(_big_csv(600)), "besar.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302 and "/impor/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<progress" in page and "Selesai" in page
    status = client.get(response.headers["Location"] + "/status").get_json()
    assert status == {"status": "done", "percent": 100, "processed": 600, "total": 600, "finished": True,
                      "error_count": 0}


def test_export_is_scoped_to_the_koperasi(db, make_shop):
    mine, theirs = make_shop(), make_shop()
    data = export_catalog(mine.koperasi.id, "csv").decode("utf-8-sig")
    assert mine.variant.sku in data and theirs.variant.sku not in data


def test_stock_columns_set_counts_through_the_ledger(client, db, login, make_shop, snapshot):
    from marketplace.inventory.models import MovementReason, Stock, StockMovement
    from marketplace.inventory.queries import ledger_mismatches

    shop = make_shop()
    login(shop.owner)
    slug = shop.koperasi.slug
    exported = client.get(f"/seller/{slug}/ekspor.csv").data.decode("utf-8-sig")
    header = exported.splitlines()[0]
    assert header.endswith(",batas_menipis,stok_gudang_pondok")
    other_sku = shop.product.variants[1].sku
    csv = "\n".join([header.replace(",stok_gudang_pondok", ",stok_gudang_pondok"),
                     f"{shop.product.slug},{shop.product.name},,,,{shop.variant.sku},,,25000,250,ya,3,7",
                     f"{shop.product.slug},,,,,{other_sku},,,30000,250,ya,,",
                     f"{shop.product.slug},,,,,BARU-1,,,1000,100,ya,2,15"]).encode()
    page = upload(client, slug, csv).get_data(as_text=True)
    assert "1 varian baru" in page, page[page.find("<main"):][:2000]
    stocks = dict(db.session.execute(select(Variant.sku, Stock.quantity).join(Stock, Stock.variant_id == Variant.id)
                                     .where(Variant.koperasi_id == shop.koperasi.id)).all())
    assert stocks == {shop.variant.sku: 7, other_sku: 20, "BARU-1": 15}
    imported = db.session.scalars(select(StockMovement).where(StockMovement.reason == MovementReason.IMPORT)
                                  .join(Variant, Variant.id == StockMovement.variant_id)
                                  .where(Variant.koperasi_id == shop.koperasi.id)).all()
    assert sorted(m.quantity_delta for m in imported) == [-13, 15] and all(m.user_id == shop.owner.id
                                                                           for m in imported)
    assert db.session.get(Variant, shop.variant.id).low_stock_threshold == 3
    assert ledger_mismatches() == []

    # 2 units of the first variant are promised to the shop's order: the count cannot go below that
    before = snapshot()
    bad = "\n".join([header, f"{shop.product.slug},,,,,{shop.variant.sku},,,25000,250,ya,,1",
                     f"{shop.product.slug},,,,,{other_sku},,,30000,250,ya,,-4"]).encode()
    html = upload(client, slug, bad).get_data(as_text=True)
    assert "<td>2</td><td>stok_gudang_pondok</td>" in html and "sudah dipesan (2)" in html
    assert "<td>3</td><td>stok_gudang_pondok</td>" in html and "tidak boleh negatif" in html
    html = upload(client, slug, b"nama_produk,sku,harga,berat_gram,stok_gudang_kota\nX,X1,1,1,5\n"
                  ).get_data(as_text=True)
    assert "Tidak ada gudang untuk kolom" in html
    assert snapshot() == before


def test_catalog_staff_round_trip_but_cannot_change_stock(client, db, login, make_shop, snapshot):
    shop = make_shop()
    login(shop.member.user)  # catalog role
    slug = shop.koperasi.slug
    exported = client.get(f"/seller/{slug}/ekspor.csv").data
    before = snapshot()
    assert "0 varian diperbarui" in upload(client, slug, exported).get_data(as_text=True)
    assert snapshot()[:-1] == before[:-1]
    text = exported.decode("utf-8-sig").splitlines()
    changed = text[1].rsplit(",", 1)[0] + ",99"
    html = upload(client, slug, "\n".join([text[0], changed]).encode()).get_data(as_text=True)
    assert "Peran Anda tidak boleh mengubah stok" in html
    assert snapshot()[:-1] == before[:-1]


def test_import_job_is_safe_to_run_twice_and_records_progress(db, make_shop):
    from marketplace.bulk.services import run_import_job, start_import_job
    from marketplace.koperasi.staff import members_of

    shop = make_shop()
    owner = next(m for m in members_of(shop.koperasi.id) if m.user_id == shop.owner.id)
    job_id = start_import_job(owner, _big_csv(1_200, stock=True), "besar.csv", 1_200).id
    db.session.commit()
    run_import_job(job_id)
    job = db.session.get(ImportJob, job_id)
    assert job.status == ImportStatus.DONE and job.processed_rows == 1_200 and job.content is None
    assert job.summary["variants_created"] == 1_200 and job.summary["stock_changed"] == 1_200 - 30
    variants = count(db, Variant, shop.koperasi.id)
    run_import_job(job_id)  # a redelivered task: nothing happens twice
    assert count(db, Variant, shop.koperasi.id) == variants
    assert db.session.get(ImportJob, job_id).summary == job.summary
