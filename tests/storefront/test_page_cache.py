"""Anonymous pages are served from cache, yet no visitor sees a page older than the last committed change."""

from marketplace.extensions import db as _db
from marketplace.inventory.models import MovementReason
from marketplace.inventory.services import adjust_stock
from tests.querycount import count_queries
from tests.stock_fixtures import warehouse_of


def test_repeat_visit_is_served_from_cache(client, make_stocked_product):
    product = make_stocked_product(stock=(7,), name="Madu Klanceng Cache")
    path = f"/produk/{product.slug}"
    first = client.get(path)
    with count_queries(_db.engine) as statements:
        second = client.get(path)
    assert second.status_code == 200 and "Madu Klanceng Cache" in second.get_data(as_text=True)
    assert len(statements) == 1  # the catalogue version only
    assert first.get_data(as_text=True).count("Stok 7") == second.get_data(as_text=True).count("Stok 7") == 1


def test_price_and_stock_changes_show_at_once(client, db, make_stocked_product):
    product = make_stocked_product(stock=(7,), prices=(25000,), name="Kopi Lanang Cache")
    assert "Rp 25.000" in client.get(f"/produk/{product.slug}").get_data(as_text=True)
    product.variants[0].price = 27500
    db.session.commit()
    page = client.get(f"/produk/{product.slug}").get_data(as_text=True)
    assert "Rp 27.500" in page and "Rp 25.000" not in page
    adjust_stock(product.variants[0], warehouse_of(product.koperasi), -5, reason=MovementReason.ADJUSTMENT)
    db.session.commit()
    assert "Stok 2" in client.get(f"/produk/{product.slug}").get_data(as_text=True)


def test_each_visitor_gets_their_own_form_token(app, db, make_stocked_product):
    product = make_stocked_product(stock=(3,))
    pages = [app.test_client().get(f"/produk/{product.slug}").get_data(as_text=True) for _ in range(2)]
    tokens = [page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0] for page in pages]
    assert "__opop_csrf_token__" not in pages[0] + pages[1]
    assert tokens[0] and tokens[0] != tokens[1]


def test_signed_in_visitors_never_get_the_anonymous_page(client, login, make_user, make_stocked_product):
    product = make_stocked_product(stock=(3,))
    client.get(f"/produk/{product.slug}")  # fills the cache for anonymous visitors
    login(make_user())
    assert "Keluar" in client.get(f"/produk/{product.slug}").get_data(as_text=True)
