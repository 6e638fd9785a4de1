from datetime import date, timedelta

import pytest

from marketplace.catalog.models import ProductStatus
from marketplace.koperasi.models import VerificationStatus


def html(response) -> str:
    return response.get_data(as_text=True)


def test_home_shows_flagship_products_categories_and_regions(client, make_product, make_category):
    category = make_category("Kopi Nusantara")
    product = make_product(name="Kopi Robusta Jember", is_flagship=True, category=category, prices=(25000, 55000))
    page = html(client.get("/"))
    assert "Kopi Robusta Jember" in page
    assert "Rp 25.000" in page and "Rp 55.000" in page
    assert "Kopi Nusantara" in page
    assert "Kabupaten Jember" in page
    assert product.slug in page


def test_only_published_products_of_verified_koperasi_are_visible(client, make_product, make_koperasi):
    visible = make_product(name="Madu Hutan Terlihat")
    draft = make_product(name="Madu Draf Tersembunyi", status=ProductStatus.DRAFT)
    pending = make_product(name="Madu Koperasi Belum Verifikasi",
                           koperasi=make_koperasi(status=VerificationStatus.SUBMITTED))
    suspended = make_product(name="Madu Koperasi Dibekukan",
                             koperasi=make_koperasi(status=VerificationStatus.SUSPENDED))
    listing = html(client.get("/produk"))
    assert visible.name in listing
    for hidden in (draft, pending, suspended):
        assert hidden.name not in listing
        assert client.get(f"/produk/{hidden.slug}").status_code == 404
    assert client.get(f"/koperasi/{pending.koperasi.slug}").status_code == 404


def test_product_page_shows_variants_certifications_and_seller(client, make_product):
    product = make_product(name="Keripik Tempe Pedas", prices=(12000, 13000), halal=True)
    page = html(client.get(f"/produk/{product.slug}"))
    assert "Varian 1" in page and "Varian 2" in page
    assert "Rp 12.000" in page and "Rp 13.000" in page
    assert "HALAL" in page and product.certifications[0].number in page
    assert product.koperasi.name in page and product.koperasi.pesantren.name in page


def test_category_listing_filters_by_region_halal_and_price(client, make_product, make_koperasi, make_category):
    parent = make_category("Makanan")
    child = make_category("Keripik", parent=parent)
    jember = make_koperasi(region_code="kab-jember")
    malang = make_koperasi(region_code="kota-malang")
    cheap_halal = make_product(name="Keripik Murah Halal", koperasi=jember, category=child, prices=(10000,), halal=True)
    dear = make_product(name="Keripik Mahal", koperasi=malang, category=child, prices=(90000,))
    expired = make_product(name="Keripik Halal Kedaluwarsa", koperasi=jember, category=child, prices=(20000,),
                           halal_valid_until=date.today() - timedelta(days=1))
    everything = html(client.get(f"/kategori/{parent.slug}"))  # a parent shows its children's products
    assert all(p.name in everything for p in (cheap_halal, dear, expired))
    by_region = html(client.get(f"/kategori/{child.slug}?wilayah=kota-malang"))
    assert dear.name in by_region and cheap_halal.name not in by_region
    halal = html(client.get(f"/kategori/{child.slug}?halal=1"))
    assert cheap_halal.name in halal and expired.name not in halal and dear.name not in halal
    priced = html(client.get(f"/kategori/{child.slug}?harga_min=15000&harga_max=50000"))
    assert expired.name in priced and cheap_halal.name not in priced and dear.name not in priced


def test_kota_and_kabupaten_with_the_same_name_are_different_regions(client, make_product, make_koperasi):
    kab = make_product(name="Apel Kabupaten", koperasi=make_koperasi(region_code="kab-malang"))
    kota = make_product(name="Apel Kota", koperasi=make_koperasi(region_code="kota-malang"))
    page = html(client.get("/wilayah/kota-malang"))
    assert kota.name in page and kab.name not in page


def test_sort_and_pagination(app, client, make_product, make_koperasi):
    koperasi = make_koperasi()
    for price in (30000, 10000, 20000):
        make_product(name=f"Sarung Harga {price}", koperasi=koperasi, prices=(price,))
    page = html(client.get(f"/koperasi/{koperasi.slug}?urut=termurah"))
    assert page.index("Sarung Harga 10000") < page.index("Sarung Harga 20000") < page.index("Sarung Harga 30000")
    app.config["PRODUCTS_PER_PAGE"] = 2
    try:
        first = html(client.get(f"/koperasi/{koperasi.slug}?urut=termahal"))
        second = html(client.get(f"/koperasi/{koperasi.slug}?urut=termahal&hal=2"))
    finally:
        app.config["PRODUCTS_PER_PAGE"] = 24
    assert "Sarung Harga 30000" in first and "Sarung Harga 10000" not in first
    assert "Sarung Harga 10000" in second and "Halaman 2 dari 2" in second


def test_pesantren_page_lists_its_products(client, make_product):
    product = make_product(name="Batik Tulis Pesantren")
    page = html(client.get(f"/pesantren/{product.koperasi.pesantren.slug}"))
    assert product.name in page and product.koperasi.name in page


@pytest.mark.parametrize("path", ["/produk/tidak-ada", "/kategori/tidak-ada", "/koperasi/tidak-ada",
                                  "/pesantren/tidak-ada", "/wilayah/kab-atlantis", "/halaman-aneh"])
def test_unknown_slugs_get_an_indonesian_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "tidak ditemukan" in html(response)


def test_bad_filter_values_are_ignored_not_errors(client, make_product):
    make_product(name="Peci Hitam")
    response = client.get("/produk?harga_min=abc&harga_max=-5&urut=DROP&hal=zz&wilayah=kab-x")
    assert response.status_code == 200 and "Peci Hitam" in html(response)


def test_english_switch(client, make_product):
    make_product(name="Gula Aren Cair", is_flagship=True)
    client.get("/bahasa/en")
    page = html(client.get("/"))
    assert 'lang="en"' in page
    assert "Flagship products" in page
    client.get("/bahasa/id")
    assert "Produk unggulan" in html(client.get("/"))


def test_500_page_is_indonesian(tmp_path):
    from marketplace import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}")

    @app.get("/_boom_for_test")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/_boom_for_test")
    assert response.status_code == 500 and "Terjadi kesalahan di server" in html(response)
