"""The home, category and product pages run a fixed number of queries, however many products there are."""

from marketplace.extensions import db as _db
from tests.querycount import count_queries


def _queries(client, path: str) -> int:
    client.get(path)  # warm: first-request work (login manager, template compile) is not the page's cost
    with count_queries(_db.engine) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def _add(make_product, koperasi, category, n, start):
    for i in range(n):
        make_product(koperasi=koperasi, category=category, name=f"Kopi Uji {start + i}", prices=(20000, 30000),
                     halal=True, is_flagship=True)


def test_page_queries_do_not_grow_with_products(app, client, make_product, make_koperasi, make_category):
    app.config["PAGE_CACHE_ENABLED"] = False  # measure the rendering itself, as on a first visit
    try:
        _measure(client, make_product, make_koperasi, make_category)
    finally:
        app.config["PAGE_CACHE_ENABLED"] = True


def _measure(client, make_product, make_koperasi, make_category):
    category = make_category("Kopi Uji")
    koperasi = [make_koperasi(region_code=code) for code in ("kab-jember", "kota-malang", "kab-sumenep")]
    first = make_product(koperasi=koperasi[0], category=category, name="Kopi Pertama", prices=(1000, 2000), halal=True)
    for k in koperasi:
        _add(make_product, k, category, 2, 0)
    pages = ["/", f"/kategori/{category.slug}", f"/produk/{first.slug}", f"/koperasi/{koperasi[0].slug}", "/produk"]
    small = {path: _queries(client, path) for path in pages}
    for k in koperasi:
        _add(make_product, k, category, 8, 100)
    large = {path: _queries(client, path) for path in pages}
    assert large == small
    assert max(small.values()) <= 14, small
