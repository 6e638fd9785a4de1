"""Pages are served from cache, yet no visitor sees a page older than the last committed change: catalogue edits
bump only what depends on them, and stock is looked up live on every response."""

from marketplace.catalog import versions
from marketplace.extensions import db as _db
from marketplace.inventory.models import MovementReason
from marketplace.inventory.services import LineRequest, adjust_stock, reserve_stock
from tests.querycount import count_queries
from tests.stock_fixtures import sign_in, warehouse_of


def html(response) -> str:
    return response.get_data(as_text=True)


def _visit(client, path: str) -> tuple[str, list[str]]:
    with count_queries(_db.engine) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return html(response), list(statements)


def _served_from_cache(statements: list[str]) -> bool:
    # A render reads variants, images and certificates; a cached page reads only versions and live stock.
    return not any("FROM certification" in s or "FROM product_image" in s for s in statements)


def test_repeat_visit_is_served_from_cache(client, make_stocked_product):
    product = make_stocked_product(stock=(7,), name="Madu Klanceng Cache")
    path = f"/produk/{product.slug}"
    first = html(client.get(path))
    second, statements = _visit(client, path)
    assert "Madu Klanceng Cache" in second
    assert len(statements) == 1  # the page's versions and the live stock of the products on it, together
    assert "catalogue_version" in statements[0] and "stock" in statements[0]
    assert first.count("Stok 7") == second.count("Stok 7") == 1


def test_price_change_shows_at_once_on_the_page_and_in_listings(client, db, make_stocked_product):
    product = make_stocked_product(stock=(7,), prices=(25000,), name="Kopi Lanang Cache")
    for path in (f"/produk/{product.slug}", "/produk", "/"):
        assert "Rp 25.000" in html(client.get(path))
    product.variants[0].price = 27500
    db.session.commit()
    for path in (f"/produk/{product.slug}", "/produk", "/", f"/koperasi/{product.koperasi.slug}"):
        page = html(client.get(path))
        assert "Rp 27.500" in page and "Rp 25.000" not in page, path


def test_a_change_to_one_product_leaves_another_koperasi_page_cached(client, db, make_stocked_product):
    a = make_stocked_product(stock=(5,), name="Keripik Tempe A")
    b = make_stocked_product(stock=(5,), name="Sambal Bawang B")
    client.get(f"/produk/{a.slug}")
    client.get(f"/produk/{b.slug}")
    a.name = "Keripik Tempe A Pedas"
    db.session.commit()
    page_a, statements_a = _visit(client, f"/produk/{a.slug}")
    assert "Keripik Tempe A Pedas" in page_a and not _served_from_cache(statements_a)
    assert "Keripik Tempe A Pedas" in html(client.get("/produk"))
    page_b, statements_b = _visit(client, f"/produk/{b.slug}")
    assert "Sambal Bawang B" in page_b and _served_from_cache(statements_b)


def test_stock_moves_show_at_once_without_invalidating_any_page(client, db, make_stocked_product):
    product = make_stocked_product(stock=(7,), name="Gula Aren Stok")
    other = make_stocked_product(stock=(3,), name="Kopi Lain Stok")
    pages = [f"/produk/{product.slug}", f"/produk/{other.slug}", "/produk", "/"]
    for path in pages:
        client.get(path)
    before = versions.current([versions.ALL, versions.LISTING, ("product", product.id)])
    adjust_stock(product.variants[0], warehouse_of(product.koperasi), -5, reason=MovementReason.ADJUSTMENT)
    reserve_stock("hold-token", [LineRequest(other.variants[0].id, 1)])
    db.session.commit()
    assert versions.current([versions.ALL, versions.LISTING, ("product", product.id)]) == before
    page, statements = _visit(client, f"/produk/{product.slug}")
    assert "Stok 2" in page and "Stok 7" not in page and _served_from_cache(statements)
    page, statements = _visit(client, f"/produk/{other.slug}")
    assert "Stok 2" in page and _served_from_cache(statements)
    for path in pages[2:]:
        assert _served_from_cache(_visit(client, path)[1])


def test_a_product_that_sells_out_shows_habis_at_once(client, db, make_stocked_product):
    product = make_stocked_product(stock=(2,), name="Madu Tinggal Dua")
    client.get(f"/produk/{product.slug}")
    assert "soldout" not in html(client.get("/produk"))
    reserve_stock("last-units", [LineRequest(product.variants[0].id, 2)])
    db.session.commit()
    page = html(client.get(f"/produk/{product.slug}"))
    assert "Habis" in page and "Stok 2" not in page
    assert page.count("disabled>") == 3  # the variant choice and both buy buttons
    assert '<span class="badge soldout">Habis</span>' in html(client.get("/produk"))


def test_unpublishing_removes_the_cached_page_at_once(client, db, make_stocked_product):
    from marketplace.catalog.models import ProductStatus

    product = make_stocked_product(stock=(2,), name="Batik Ditarik")
    assert client.get(f"/produk/{product.slug}").status_code == 200
    product.status = ProductStatus.DRAFT
    db.session.commit()
    assert client.get(f"/produk/{product.slug}").status_code == 404
    assert "Batik Ditarik" not in html(client.get("/produk"))


def test_a_rolled_back_edit_bumps_nothing(db, make_stocked_product):
    product = make_stocked_product(stock=(2,))
    before = versions.current([versions.LISTING, ("product", product.id)])
    product.name = "Nama Yang Batal"
    db.session.flush()
    db.session.rollback()
    assert versions.current([versions.LISTING, ("product", product.id)]) == before


def test_each_visitor_gets_their_own_form_token(app, db, make_stocked_product):
    product = make_stocked_product(stock=(3,))
    pages = [html(app.test_client().get(f"/produk/{product.slug}")) for _ in range(2)]
    tokens = [page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0] for page in pages]
    assert "<!--opop:" not in pages[0] + pages[1]
    assert tokens[0] and tokens[0] != tokens[1]


def test_signed_in_visitors_get_the_cached_body_with_their_own_top_bar(client, make_user, make_stocked_product):
    product = make_stocked_product(stock=(3,), name="Peci Rajut Cache")
    anonymous = html(client.get(f"/produk/{product.slug}"))  # fills the cache for everyone
    assert "Keluar" not in anonymous and "Masuk" in anonymous
    sign_in(client, make_user(name="Siti Cache"))
    page, statements = _visit(client, f"/produk/{product.slug}")
    assert "Keluar" in page and "Masuk" not in page and "Peci Rajut Cache" in page
    assert _served_from_cache(statements)


def test_revalidation_answers_not_modified_until_something_changes(client, db, make_stocked_product):
    product = make_stocked_product(stock=(4,))
    path = f"/produk/{product.slug}"
    etag = client.get(path).headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    adjust_stock(product.variants[0], warehouse_of(product.koperasi), -1, reason=MovementReason.ADJUSTMENT)
    db.session.commit()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Stok 3" in html(changed)


def test_live_parts_follow_the_visitors_language(client, make_stocked_product):
    product = make_stocked_product(stock=(3, 0), prices=(15000, 16000))
    assert "Stok 3" in html(client.get(f"/produk/{product.slug}"))
    client.get("/bahasa/en")
    page = html(client.get(f"/produk/{product.slug}"))
    assert "3 in stock" in page and "Sold out" in page and "Stok 3" not in page


def test_a_guest_cart_badge_shows_on_cached_pages(client, make_stocked_product):
    product = make_stocked_product(stock=(5,), name="Kerudung Badge")
    path = f"/produk/{product.slug}"
    assert 'class="cart-count"' not in html(client.get(path))
    client.post("/keranjang/tambah", data={"variant": product.variants[0].id, "quantity": 2, "product": product.id})
    assert "Stok" in html(client.get(path))  # renders once: it shows the flashed "added" message
    page, statements = _visit(client, path)
    assert 'class="cart-count"' in page and _served_from_cache(statements)


def _card(page: str, name: str) -> str:
    return next(card for card in page.split('<article class="card">')[1:] if name in card)


def test_products_new_to_a_cached_listing_show_their_own_stock(client, db, make_stocked_product):
    # A cached hit reads stock only for the products the page showed last time, in its first statement; products
    # that joined the list since must still get their own live stock, not a "Habis" by omission.
    make_stocked_product(stock=(4,), name="Teh Lama")
    client.get("/produk")
    make_stocked_product(stock=(0,), name="Teh Habis Baru")
    make_stocked_product(stock=(6,), name="Teh Ada Baru")
    db.session.commit()
    for _visit_number in range(2):  # rendered with the new products, then from cache
        page, statements = _visit(client, "/produk")
        assert "soldout" in _card(page, "Teh Habis Baru")
        assert "soldout" not in _card(page, "Teh Ada Baru") and "soldout" not in _card(page, "Teh Lama")
    assert _served_from_cache(statements) and len(statements) == 1
