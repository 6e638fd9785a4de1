"""Buyers are on phones: every storefront page fits a 390-px-wide screen without horizontal scrolling."""

import pytest

from marketplace.catalog import services as catalog
from marketplace.catalog.images import add_product_image
from marketplace.catalog.models import CertificationKind, ProductStatus
from marketplace.demo.images import draw_product_image
from marketplace.extensions import db
from marketplace.inventory.services import set_stock
from tests.factories import verified_koperasi
from tests.stock_fixtures import warehouse_of

LONG_NAME = "Keripik Singkong Pedas Balado Super Renyah Khas Pondok Pesantren Miftahul Ulum Kabupaten Probolinggo"


@pytest.fixture(scope="module")
def catalogue(live_app):

    with live_app.app_context():
        parent = catalog.create_category("Makanan & Minuman")
        category = catalog.create_category("Keripik & Camilan", parent=parent)
        koperasi = verified_koperasi("Koperasi Pondok Pesantren Miftahul Ulum Sejahtera Bersama", "kab-probolinggo",
                                     "9100000000001", pesantren_name="Pondok Pesantren Miftahul Ulum Al-Islamiyah",
                                     owner_email="pemilik@uji.opop.id")
        slugs = []
        for i in range(8):
            product = catalog.create_product(koperasi, f"{LONG_NAME} {i}", category=category,
                                             description="Renyah, gurih dan pedas. " * 20,
                                             status=ProductStatus.PUBLISHED, is_flagship=True)
            for variant in (
                catalog.add_variant(product, f"KRP-{i}-A", 1250000, 250, name="Kemasan ekonomis 250 gram isi banyak"),
                catalog.add_variant(product, f"KRP-{i}-B", 15000, 500, name="Pedas"),
            ):  # in stock: a sold-out variant cannot be chosen
                set_stock(variant, warehouse_of(koperasi), 5)
            catalog.set_certification(product, CertificationKind.HALAL, "ID35110000123450624", None)
            add_product_image(product, draw_product_image(product.name, "keripik-camilan", seed=i))
            slugs.append(product.slug)
        db.session.commit()
        return {"product": slugs[0], "category": category.slug, "parent": parent.slug, "koperasi": koperasi.slug,
                "pesantren": koperasi.pesantren.slug}


PAGES = [
    ("home", "/"),
    ("listing", "/produk"),
    ("category", "/kategori/{parent}"),
    ("product", "/produk/{product}"),
    ("koperasi", "/koperasi/{koperasi}"),
    ("pesantren", "/pesantren/{pesantren}"),
    ("region", "/wilayah/kab-probolinggo"),
    ("regions", "/wilayah"),
    ("login", "/masuk"),
    ("register", "/daftar"),
    ("404", "/produk/tidak-ada"),
]


@pytest.mark.parametrize("name,path", PAGES, ids=[p[0] for p in PAGES])
def test_page_fits_a_390px_phone(live_server, catalogue, phone, name, path, tmp_path):
    response = phone.goto(live_server + path.format(**catalogue))
    assert response.status in (200, 404)
    phone.wait_for_load_state("load")
    widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    phone.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert widths[0] <= widths[1] == 390, f"{path} scrolls sideways: content {widths[0]} px wide"


def test_variant_picker_updates_the_price(live_server, catalogue, phone):
    phone.goto(f"{live_server}/produk/{catalogue['product']}")
    assert "Rp 15.000" in phone.inner_text("#price")
    phone.check("input[name=variant] >> nth=1")
    assert phone.inner_text("#price") == "Rp 15.000"
    phone.check("input[name=variant] >> nth=0")
    assert phone.inner_text("#price") == "Rp 1.250.000"
