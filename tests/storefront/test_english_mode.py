"""English mode (/bahasa/en): category names are data with an English column, shown wherever a category is named
(home chips, listing heading, breadcrumbs, product page, search facets); filter labels come from the .po file; the
page cache keeps one body per language. Indonesian pages are unchanged."""

import re

import pytest

from marketplace.catalog import services as catalog
from marketplace.extensions import db as _db
from marketplace.outbox.services import dispatch_pending
from tests.querycount import count_queries


def visible_text(response) -> str:
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


@pytest.fixture
def shelf(db, make_product):
    food = catalog.create_category("Makanan Olahan", name_en="Processed Food")
    coffee = catalog.create_category("Kopi Bubuk", parent=food, name_en="Ground Coffee")
    crafts = catalog.create_category("Anyaman Bambu")  # no English name: falls back to the Indonesian one
    db.session.commit()
    product = make_product(name="Kopi Tubruk Jember", category=coffee)
    make_product(name="Keranjang Bambu", category=crafts)
    return {"food": food, "coffee": coffee, "crafts": crafts, "product": product}


def test_english_mode_names_categories_in_english_everywhere(client, shelf):
    client.get("/bahasa/en")
    home = visible_text(client.get("/"))
    assert "Processed Food" in home and "Ground Coffee" in home and "Anyaman Bambu" in home
    assert "Makanan Olahan" not in home and "Kopi Bubuk" not in home

    parent = client.get(f"/kategori/{shelf['food'].slug}")
    assert "<title>Processed Food" in parent.get_data(as_text=True)
    assert "<h1>Processed Food</h1>" in parent.get_data(as_text=True)
    page = visible_text(parent)
    assert "Ground Coffee" in page and "Makanan Olahan" not in page

    child = visible_text(client.get(f"/kategori/{shelf['coffee'].slug}"))
    assert "Home › Processed Food" in child and "Ground Coffee" in child
    assert "Kopi Bubuk" not in child and "Makanan Olahan" not in child

    product = visible_text(client.get(f"/produk/{shelf['product'].slug}"))
    assert "Home › Processed Food › Ground Coffee" in product
    assert "Kopi Bubuk" not in product and "Makanan Olahan" not in product

    assert "Anyaman Bambu" in visible_text(client.get(f"/kategori/{shelf['crafts'].slug}"))


def test_indonesian_mode_keeps_the_indonesian_names(client, shelf):
    product = visible_text(client.get(f"/produk/{shelf['product'].slug}"))
    assert "Beranda › Makanan Olahan › Kopi Bubuk" in product
    assert "Processed Food" not in product and "Ground Coffee" not in product
    home = visible_text(client.get("/"))
    assert "Makanan Olahan" in home and "Processed Food" not in home


def test_english_listing_filters(client, shelf):
    client.get("/bahasa/en")
    page = visible_text(client.get("/produk"))
    for label in ("Filter & sort", "Regency/City", "All regions", "Halal certified", "Min price", "Max price",
                  "Sort by", "Newest", "Lowest price", "Highest price", "Name A–Z", "Apply", "All products"):
        assert label in page, label
    for indonesian in ("Urutkan", "Semua wilayah", "Bersertifikat halal", "Terapkan", "Harga terendah"):
        assert indonesian not in page, indonesian


def test_search_facets_name_categories_in_english(client, db, search_dir, shelf):
    db.session.commit()
    dispatch_pending()  # the outbox indexes the products (Celery runs eagerly in tests)
    db.session.commit()
    client.get("/bahasa/en")
    page = visible_text(client.get("/cari?q=kopi"))
    assert "Kopi Tubruk Jember" in page
    assert "Processed Food (1)" in page and "Makanan Olahan" not in page
    narrowed = visible_text(client.get(f"/cari?q=kopi&kategori={shelf['food'].slug}"))
    assert "Ground Coffee (1)" in narrowed and "Kopi Bubuk" not in narrowed


def _visit(client, path: str) -> tuple[str, bool]:
    """The page's text, and whether it came from the page cache (a render reads certifications and images)."""
    with count_queries(_db.engine) as statements:
        text = visible_text(client.get(path))
    return text, not any("FROM certification" in s or "FROM product_image" in s for s in statements)


def test_the_page_cache_keeps_one_body_per_language(client, shelf):
    path = f"/produk/{shelf['product'].slug}"
    first, cached = _visit(client, path)
    assert "Beranda › Makanan Olahan" in first and not cached
    assert _visit(client, path)[1]  # the Indonesian body is cached now

    client.get("/bahasa/en")
    english, cached = _visit(client, path)
    assert "Home › Processed Food › Ground Coffee" in english and "Beranda" not in english and not cached
    english_again, cached = _visit(client, path)
    assert "Home › Processed Food" in english_again and "Pilih varian" not in english_again and cached

    client.get("/bahasa/id")
    indonesian, cached = _visit(client, path)
    assert "Beranda › Makanan Olahan › Kopi Bubuk" in indonesian and "Processed Food" not in indonesian and cached
    assert "Choose a variant" not in indonesian


def test_a_revalidation_never_hands_one_language_the_others_page(client, shelf):
    """A browser keeps the ETag of the page it saw; after switching language the same If-None-Match must not
    be answered 304 (which would keep showing the old language's page)."""
    path = f"/produk/{shelf['product'].slug}"
    indonesian = client.get(path)
    etag = indonesian.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    client.get("/bahasa/en")
    english = client.get(path, headers={"If-None-Match": etag})
    assert english.status_code == 200 and "Ground Coffee" in english.get_data(as_text=True)
    assert english.headers["ETag"] != etag and "Cookie" in english.headers.get("Vary", "")
