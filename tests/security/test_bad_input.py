"""Hostile numbers and characters get a clear answer and change nothing; never a 500. Each case answered 500 before:
integers past PostgreSQL's range (or SQLite's, on sums), NUL bytes, colliding import slugs, control characters in
an XLSX export; and the CSV export wrote formulas raw."""

import csv
import io

import pytest
from openpyxl import load_workbook

from marketplace.catalog.models import Product
from tests.seller.test_bulk import HEADER, upload

HUGE = "99999999999999999999"
BIG = str(2**63 - 1)
PG_OVER = str(2**31)


@pytest.mark.parametrize("path", [
    f"/produk?harga_min={HUGE}", f"/produk?harga_max={HUGE}", f"/produk?harga_min={PG_OVER}",
    f"/cari?q=kopi&harga_min={HUGE}", f"/cari?q=kopi&harga_max={PG_OVER}",
])
def test_price_filters_past_the_integer_range(client, make_product, path):
    make_product(name="Kopi Uji Rentang")
    assert client.get(path).status_code == 200


def test_ids_past_the_integer_range_are_not_found(client, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    slug = shop.koperasi.slug
    for path in (f"/seller/{slug}/produk/{HUGE}", f"/seller/{slug}/produk/{PG_OVER}", f"/seller/{slug}/stok/{BIG}",
                 f"/seller/{slug}/impor/{PG_OVER}/status", f"/seller/{slug}/gudang/{PG_OVER}"):
        assert client.get(path).status_code == 404, path


def test_form_numbers_past_the_range_are_refused_and_change_nothing(client, login, make_shop, snapshot):
    shop = make_shop()
    login(shop.owner)
    slug, variant, warehouse = shop.koperasi.slug, shop.variant, shop.warehouse
    before = snapshot()
    posts = [
        (f"/seller/{slug}/stok/{variant.id}", {"warehouse_id": warehouse.id, "mode": "jadikan", "quantity": BIG,
                                               "reason": "opname"}),
        (f"/seller/{slug}/stok/{variant.id}", {"warehouse_id": PG_OVER, "mode": "tambah", "quantity": "1",
                                               "reason": "masuk"}),
        (f"/seller/{slug}/stok/", {"variant": variant.id, "warehouse": warehouse.id, "quantity": BIG}),
        (f"/seller/{slug}/stok/", {"variant": HUGE, "warehouse": warehouse.id, "quantity": "1"}),
        (f"/seller/{slug}/stok/{variant.id}/batas", {"threshold": BIG}),
        (f"/seller/{slug}/produk/{shop.product.id}/varian/{variant.id}",
         {"sku": variant.sku, "price": BIG, "weight_grams": "100", "is_active": "y"}),
        (f"/seller/{slug}/produk/{shop.product.id}/varian/{variant.id}",
         {"sku": variant.sku, "price": "1000", "weight_grams": PG_OVER, "is_active": "y"}),
        ("/keranjang/tambah", {"variant": HUGE, "quantity": "1"}),
        ("/keranjang/tambah", {"variant": variant.id, "quantity": BIG}),
    ]
    for path, data in posts:
        response = client.post(path, data=data)
        assert response.status_code in (200, 302, 404), (path, data, response.status_code)
    assert snapshot() == before


def test_stock_can_not_be_pushed_past_the_cap_by_adding(client, login, make_shop, snapshot):
    shop = make_shop()
    login(shop.owner)
    url = f"/seller/{shop.koperasi.slug}/stok/{shop.variant.id}"
    form = {"warehouse_id": shop.warehouse.id, "mode": "jadikan", "quantity": "10000000", "reason": "opname"}
    assert client.post(url, data=form).status_code == 302
    before = snapshot()
    page = client.post(url, data={**form, "mode": "tambah", "quantity": "10000000", "reason": "masuk"},
                       follow_redirects=True)
    assert page.status_code == 200 and "maksimal" in page.get_data(as_text=True)
    assert snapshot() == before


@pytest.mark.parametrize("path", ["/produk/kopi%00", "/koperasi/a%00b"])
def test_nul_bytes_in_url_paths_are_a_clear_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "karakter yang tidak diizinkan" in response.get_data(as_text=True)


def test_nul_bytes_in_query_strings_are_spaces(client, login, make_shop):
    shop = make_shop()
    assert client.get("/produk?urut=%00&harga_min=1%00").status_code == 200
    login(shop.owner)
    for path in (f"/seller/{shop.koperasi.slug}/stok/?q=kopi%00", f"/seller/{shop.koperasi.slug}/produk?q=%00x"):
        assert client.get(path).status_code == 200, path


def test_nul_bytes_in_forms_change_nothing(client, db, login, make_shop, snapshot):
    shop = make_shop()
    login(shop.owner)
    before = snapshot()
    response = client.post(f"/seller/{shop.koperasi.slug}/produk/{shop.product.id}",
                           data={"name": "Kopi\x00Racun", "description": "x", "status": "draft"})
    assert response.status_code == 400
    assert client.post("/daftar", data={"name": "A\x00", "email": "nul@uji.opop.id", "password": "rahasia123",
                                        "confirm": "rahasia123"}).status_code == 400
    assert snapshot() == before


def test_import_whose_generated_slugs_collide_with_existing_ones(client, db, login, make_shop, make_product):
    """"Kopi" exists and so do "kopi-2" and "kopi-3": new products "Kopi" and "KOPI!" become kopi-4, kopi-5."""
    for name in ("Kopi", "Kopi 2", "Kopi 3"):
        make_product(name=name)
    shop = make_shop()
    login(shop.owner)
    rows = [HEADER, ",Kopi,,draf,,SLUG-A,,,1000,100,ya", ",KOPI!,,draf,,SLUG-B,,,1000,100,ya"]
    page = upload(client, shop.koperasi.slug, ("\n".join(rows) + "\n").encode())
    assert page.status_code == 200
    assert "Impor selesai" in page.get_data(as_text=True)
    slugs = set(db.session.scalars(db.select(Product.slug).where(Product.koperasi_id == shop.koperasi.id)))
    assert {"kopi-4", "kopi-5"} <= slugs


def test_exports_neutralise_formulas_and_survive_control_characters(client, db, login, make_shop):
    shop = make_shop()
    shop.product.name = "=HYPERLINK(\"http://evil.example\",\"klik\")"
    shop.product.description = "Bagus\x0bsekali\x01"
    db.session.commit()
    login(shop.owner)
    exported = client.get(f"/seller/{shop.koperasi.slug}/ekspor.csv")
    rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    names = {row[1] for row in rows[1:]}
    assert "'=HYPERLINK(\"http://evil.example\",\"klik\")" in names
    xlsx = client.get(f"/seller/{shop.koperasi.slug}/ekspor.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    assert any(cell.value == "Bagussekali" for row in sheet.iter_rows() for cell in row)
    # the neutralised CSV imports back to the same name
    before = shop.product.name
    upload(client, shop.koperasi.slug, exported.data)
    db.session.refresh(shop.product)
    assert shop.product.name == before
