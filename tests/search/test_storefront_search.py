"""The search pages as a buyer uses them, on SQLite and PostgreSQL: results, bad input, typo suggestions,
autocomplete, and what happens when the index is missing or damaged."""

import re
from pathlib import Path

import pytest

from marketplace.catalog.models import ProductStatus
from marketplace.koperasi.models import VerificationStatus
from marketplace.outbox.services import dispatch_pending
from marketplace.search.documents import count_visible
from search_index.storage import current_generation


def visible_text(response) -> str:
    """The page as a buyer reads it: tags (such as the <mark> of a highlight) removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)).split())


def publish(db):
    """Commit, then let the outbox index what changed (tests run Celery eagerly)."""
    db.session.commit()
    dispatch_pending()
    db.session.commit()


@pytest.fixture
def shop(db, search_dir, make_koperasi, make_product):
    jember = make_koperasi(name="Koppontren Nurul Islam", region_code="kab-jember")
    malang = make_koperasi(name="Koppontren Darul Ulum", region_code="kab-malang")
    hidden = make_koperasi(name="Koppontren Belum Terverifikasi", status=VerificationStatus.SUBMITTED)
    products = {
        "robusta": make_product(jember, "Kopi Robusta Sumberjambe", prices=(52000,), halal=True),
        "arabika": make_product(malang, "Kopi Arabika Dampit", prices=(85000, 95000)),
        "kerudung": make_product(malang, "Kerudung Instan Bergo", prices=(45000,)),
        "draft": make_product(jember, "Kopi Draft Belum Terbit", status=ProductStatus.DRAFT),
        "unverified": make_product(hidden, "Kopi Koperasi Belum Diverifikasi"),
    }
    publish(db)
    return products


def test_results_show_only_published_products_of_verified_koperasi(client, shop):
    response = client.get("/cari?q=kopi")
    assert "<mark>Kopi</mark> Robusta" in response.get_data(as_text=True)
    page = visible_text(response)
    assert "Robusta Sumberjambe" in page and "Arabika Dampit" in page
    assert "Draft Belum Terbit" not in page and "Belum Diverifikasi" not in page
    assert "2 produk" in page


def test_synonym_and_region_find_products(client, shop):
    assert "Kerudung Instan Bergo" in visible_text(client.get("/cari?q=hijab"))
    page = visible_text(client.get("/cari?q=kopi+jember"))
    assert "Robusta Sumberjambe" in page and "Arabika Dampit" not in page


def test_region_filter_facets_and_price_sort(client, shop):
    page = visible_text(client.get("/cari?q=kopi&wilayah=kab-malang"))
    assert "Arabika Dampit" in page and "Robusta Sumberjambe" not in page
    assert "Kabupaten Malang" in page
    page = visible_text(client.get("/cari?q=kopi&urut=termahal"))
    assert page.index("Arabika Dampit") < page.index("Robusta Sumberjambe")
    page = visible_text(client.get("/cari?q=kopi&urut=termurah"))
    assert page.index("Robusta Sumberjambe") < page.index("Arabika Dampit")


def test_typo_shows_results_for_the_correction(client, shop):
    page = visible_text(client.get("/cari?q=kopi+robsta"))
    assert "Menampilkan hasil untuk" in page and "kopi robusta" in page
    assert "Robusta Sumberjambe" in page


def test_did_you_mean_when_the_exact_words_find_little(db, client, shop, make_product):
    make_product(name="Keripik Kentang Balado")
    make_product(name="Keripik Kentang Original")
    make_product(name="Keripik Kentan Ketan")  # a seller's spelling that matches the typo exactly
    publish(db)
    page = visible_text(client.get("/cari?q=keripik+kentan"))
    assert "Mungkin maksud Anda:" in page and "keripik kentang" in page
    assert "Kentan Ketan" in page


def test_empty_or_symbol_only_query_opens_the_browse_page(client, shop):
    for text in ["", "   ", "*", "?", "***???", '"', "()"]:
        response = client.get("/cari", query_string={"q": text})
        assert response.status_code == 302 and response.location.endswith("/produk"), text


def test_hostile_or_odd_input_gives_a_page_not_an_error(client, shop):
    odd = [
        'kopi" AND (madu', "kopi:robusta^2~ OR", "kopi " * 120, "كتاب القرآن", "咖啡 kopi", "kopi\x00robusta", "kop*",
        "-kopi", "k" * 500,
    ]
    for text in odd:
        response = client.get("/cari", query_string={"q": text})
        assert response.status_code == 200, text
        if "kopi" in text.lower():
            assert "Kopi Robusta Sumberjambe" in visible_text(response), text
    odd_filters = {"q": "kopi", "hal": "x", "harga_min": "-5", "urut": "<b>", "wilayah": "mars", "kategori": "?"}
    assert client.get("/cari", query_string=odd_filters).status_code == 200


def test_highlighting_escapes_seller_text(db, client, search_dir, make_product):
    product = make_product(name="Kopi <script>alert(1)</script> Luwak")
    publish(db)
    page = client.get("/cari?q=kopi+luwak").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert product.slug in page


def test_autocomplete_returns_completions_and_products(client, shop):
    data = client.get("/cari/saran?q=ker").get_json()
    assert "kerudung" in data["queries"]
    data = client.get("/cari/saran?q=kopi+ro").get_json()
    assert data["queries"][0] == "kopi robusta"
    assert data["products"][0]["name"] == "Kopi Robusta Sumberjambe"
    assert data["products"][0]["price"] == "Rp 52.000"
    assert client.get("/cari/saran?q=%22%28").get_json() == {"queries": [], "products": []}


def test_search_box_is_on_every_page(client, shop):
    page = client.get("/").get_data(as_text=True)
    assert 'action="/cari"' in page and 'data-suggest="/cari/saran"' in page and "js/search.js" in page


def _damage(generation: Path) -> None:
    """Garbage where the index files were (as a crash mid-write or a bad disk leaves them). Files are replaced,
    not overwritten in place: a running reader keeps its memory-mapped copies, as it would in production."""
    for path in generation.iterdir():
        if path.is_file():
            scratch = path.with_name(path.name + ".tmp")
            scratch.write_bytes(b"\x00garbage" * 10)
            scratch.replace(path)


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_broken_index_falls_back_to_the_listing_and_rebuild_recovers(app, client, shop, search_dir, damage):
    client.get("/cari?q=kopi")  # a reader is open, as in a long-running web process
    generation = current_generation(search_dir)
    if damage == "missing":
        (search_dir / "current").unlink()
    else:
        _damage(generation)
    app.extensions.pop("search_engine")  # a web process that starts now
    response = client.get("/cari?q=kopi+robusta")
    page = visible_text(response)
    assert response.status_code == 200
    assert "Pencarian sedang dibangun ulang" in page and "Robusta Sumberjambe" in page
    assert client.get("/cari/saran?q=kop").get_json() == {"queries": [], "products": []}

    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"Indexed {count_visible()} products" in result.output
    page = client.get("/cari?q=kopi+robusta").get_data(as_text=True)
    assert "sedang dibangun ulang" not in page and "<mark" in page and "Sumberjambe" in page


def test_rebuild_swaps_generations_and_keeps_one_previous(app, shop, search_dir):
    runner = app.test_cli_runner()
    first = current_generation(search_dir)
    for _ in range(3):
        assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    generations = sorted(p.name for p in search_dir.iterdir() if p.name.startswith("gen-"))
    assert len(generations) == 2 and first.name not in generations
    assert current_generation(search_dir).name in generations
