"""Products as staff edit them: create, variants, sanitised descriptions, images, certifications and the
publishing rules."""

import io
from datetime import date, timedelta

from sqlalchemy import select

from marketplace.catalog import services as catalog
from marketplace.catalog.models import CertificationKind, Product, ProductStatus, Variant
from tests.seller_fixtures import png_bytes


def test_create_product_with_first_variant_as_draft(client, db, login, make_shop, make_category):
    shop = make_shop()
    category = make_category("Kopi")
    login(shop.member.user)  # catalog staff
    response = client.post(f"/seller/{shop.koperasi.slug}/produk/baru", data={
        "name": "Kopi Arabika Ijen", "category_id": str(category.id),
        "description": "<p>Kopi <b>pilihan</b></p><script>alert(1)</script><a href='http://spam'>beli</a>",
        "sku": "ijen-250", "variant_name": "250 g", "options": "Berat=250 g; Giling=Halus",
        "price": "Rp 55.000", "weight_grams": "280",
    })
    assert response.status_code == 302
    product = db.session.scalar(select(Product).where(Product.name == "Kopi Arabika Ijen"))
    assert product.status == ProductStatus.DRAFT and product.category_id == category.id
    assert product.description == "<p>Kopi <b>pilihan</b></p>beli"
    variant = product.variants[0]
    assert (variant.sku, variant.price, variant.weight_grams) == ("IJEN-250", 55000, 280)
    assert variant.options == {"Berat": "250 g", "Giling": "Halus"}


def test_bad_variant_input_is_refused_in_indonesian_and_changes_nothing(client, db, login, make_shop, snapshot):
    shop = make_shop()
    login(shop.owner)
    before = snapshot()
    base = f"/seller/{shop.koperasi.slug}/produk/{shop.product.id}"
    page = client.post(f"{base}/varian/{shop.variant.id}", data={
        "sku": shop.product.variants[1].sku, "price": "1000", "weight_grams": "10", "is_active": "y"})
    assert "sudah dipakai produk lain" in page.get_data(as_text=True)
    page = client.post(f"{base}/varian/{shop.variant.id}", data={"sku": "X", "price": "-5", "weight_grams": "0"})
    html = page.get_data(as_text=True)
    assert "Harga tidak boleh negatif." in html and "Berat minimal 1 gram." in html
    page = client.post(f"{base}/varian/{shop.variant.id}", data={"sku": "X", "price": "5", "weight_grams": "5",
                                                                 "options": "tanpa sama dengan"})
    assert "Nama=Nilai" in page.get_data(as_text=True)
    assert snapshot() == before


def test_edit_variant_and_deactivate(client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    client.post(f"/seller/{shop.koperasi.slug}/produk/{shop.product.id}/varian/{shop.variant.id}",
                data={"sku": "baru-1", "price": "27.500", "weight_grams": "300", "variant_name": "Besar"})
    variant = db.session.get(Variant, shop.variant.id)
    assert (variant.sku, variant.price, variant.weight_grams, variant.is_active) == ("BARU-1", 27500, 300, False)


def test_images_upload_validate_reorder_and_delete(app, client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    base = f"/seller/{shop.koperasi.slug}/produk/{shop.product.id}/gambar"
    client.post(base, data={"image": (io.BytesIO(png_bytes(color=(0, 0, 255))), "biru.png")},
                content_type="multipart/form-data")
    product = db.session.get(Product, shop.product.id)
    first, second = [image.id for image in product.images]
    page = client.post(base, data={"image": (io.BytesIO(b"%PDF-1.4 bukan gambar"), "x.png")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "bukan gambar" in page.get_data(as_text=True)
    app.config["MAX_IMAGE_BYTES"], limit = 1000, app.config["MAX_IMAGE_BYTES"]
    try:
        page = client.post(base, data={"image": (io.BytesIO(png_bytes(size=(600, 600))), "besar.png")},
                           content_type="multipart/form-data", follow_redirects=True)
    finally:
        app.config["MAX_IMAGE_BYTES"] = limit
    assert "Ukuran gambar maksimal" in page.get_data(as_text=True)
    assert len(db.session.get(Product, shop.product.id).images) == 2
    client.post(f"{base}/{second}/geser", data={"direction": "up"})
    assert [i.id for i in db.session.get(Product, shop.product.id).images] == [second, first]
    thumb = db.session.get(Product, shop.product.id).images[1].thumb_path
    client.post(f"{base}/{first}/hapus")
    product = db.session.get(Product, shop.product.id)
    assert [i.id for i in product.images] == [second] and product.images[0].position == 0
    assert client.get(f"/media/{thumb}").status_code == 404


def test_expired_food_certificate_blocks_publishing(client, db, login, make_shop):
    shop = make_shop()
    product = db.session.get(Product, shop.product.id)
    catalog.change_product_status(product, ProductStatus.DRAFT)
    catalog.set_certification(product, CertificationKind.PIRT, "123456789012345", date.today() - timedelta(days=1))
    db.session.commit()
    login(shop.owner)
    base = f"/seller/{shop.koperasi.slug}/produk/{shop.product.id}"
    page = client.post(f"{base}/status", data={"status": "published"}, follow_redirects=True).get_data(as_text=True)
    assert "PIRT 123456789012345 sudah kedaluwarsa" in page
    assert db.session.get(Product, shop.product.id).status == ProductStatus.DRAFT
    client.post(f"{base}/sertifikat", data={"kind": "pirt", "number": "1234-5678-9012-345",
                                            "valid_until": (date.today() + timedelta(days=900)).isoformat()})
    client.post(f"{base}/status", data={"status": "published"})
    assert db.session.get(Product, shop.product.id).status == ProductStatus.PUBLISHED


def test_certificate_numbers_are_checked(client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    base = f"/seller/{shop.koperasi.slug}/produk/{shop.product.id}/sertifikat"
    page = client.post(base, data={"kind": "pirt", "number": "12345"}, follow_redirects=True).get_data(as_text=True)
    assert "PIRT harus 15 digit" in page
    page = client.post(base, data={"kind": "bpom", "number": "AB 1"}, follow_redirects=True).get_data(as_text=True)
    assert "diawali MD atau ML" in page
    assert {c.kind for c in db.session.get(Product, shop.product.id).certifications} == {CertificationKind.HALAL}


def test_dashboard_warns_thirty_days_before_a_certificate_expires(client, db, login, make_shop):
    shop = make_shop()
    product = db.session.get(Product, shop.product.id)
    catalog.set_certification(product, CertificationKind.BPOM, "MD 224466880011", date.today() + timedelta(days=20))
    catalog.set_certification(product, CertificationKind.HALAL, "ID1", date.today() + timedelta(days=45))
    db.session.commit()
    login(shop.owner)
    overview = client.get(f"/seller/{shop.koperasi.slug}/").get_data(as_text=True)
    assert "Sertifikat perlu diperbarui" in overview and "MD 224466880011" in overview
    assert "ID1" not in overview  # 45 days away: not yet
    edit = client.get(f"/seller/{shop.koperasi.slug}/produk/{shop.product.id}").get_data(as_text=True)
    assert "Segera berakhir" in edit


def test_publish_unpublish_archive_and_storefront_visibility(client, db, login, make_shop):
    shop = make_shop()
    login(shop.owner)
    base = f"/seller/{shop.koperasi.slug}/produk/{shop.product.id}"
    product_page = f"/produk/{shop.product.slug}"
    assert client.get(product_page).status_code == 200
    client.post(f"{base}/status", data={"status": "draft"})
    assert client.get(product_page).status_code == 404
    client.post(f"{base}/status", data={"status": "archived"})
    listing = client.get(f"/seller/{shop.koperasi.slug}/produk?status=archived").get_data(as_text=True)
    assert shop.product.name in listing
    client.post(f"{base}/status", data={"status": "published"})
    assert client.get(product_page).status_code == 200


def test_product_search_by_name_and_sku(client, login, make_shop, make_product):
    shop = make_shop()
    other = make_product(koperasi=shop.koperasi, name="Madu Hutan Lebah")
    login(shop.owner)
    page = client.get(f"/seller/{shop.koperasi.slug}/produk?q=madu").get_data(as_text=True)
    assert other.name in page and shop.product.name not in page
    page = client.get(f"/seller/{shop.koperasi.slug}/produk?q={shop.variant.sku.lower()}").get_data(as_text=True)
    assert shop.product.name in page and other.name not in page


def test_storefront_renders_the_sanitised_description(client, db, make_shop):
    shop = make_shop()
    product = db.session.get(Product, shop.product.id)
    product.description = "<p>Gurih <strong>renyah</strong></p><img src=x onerror=alert(1)>"
    db.session.commit()
    html = client.get(f"/produk/{product.slug}").get_data(as_text=True)
    assert "<strong>renyah</strong>" in html and "onerror" not in html


def test_daily_sweep_unpublishes_products_whose_certificate_expired(client, db, login, make_shop):
    from marketplace.catalog.tasks import unpublish_expired

    shop = make_shop()
    product = db.session.get(Product, shop.product.id)
    catalog.set_certification(product, CertificationKind.PIRT, "123456789012345", date.today() - timedelta(days=1))
    db.session.commit()
    assert client.get(f"/produk/{product.slug}").status_code == 200
    assert unpublish_expired.apply().get() >= 1
    assert db.session.get(Product, shop.product.id).status == ProductStatus.DRAFT
    assert client.get(f"/produk/{product.slug}").status_code == 404
    assert unpublish_expired.apply().get() == 0  # nothing left to do
    login(shop.owner)
    log = client.get(f"/seller/{shop.koperasi.slug}/log").get_data(as_text=True)
    assert "product.auto_unpublish" in log and "PIRT 123456789012345" in log


def test_every_dashboard_title_is_plain_text(client, login, make_shop):
    import re

    shop = make_shop()
    login(shop.owner)
    for path in ("/", "/produk", f"/produk/{shop.product.id}", "/stok/", "/pesanan", "/anggota", "/impor-ekspor"):
        html = client.get(f"/seller/{shop.koperasi.slug}{path}").get_data(as_text=True)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title and shop.koperasi.name in title, (path, title)
