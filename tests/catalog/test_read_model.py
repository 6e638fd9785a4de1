"""The catalogue read model: what the storefront and the API show, as plain values, from a fixed number of
queries."""

from marketplace.catalog import read_model
from marketplace.catalog.models import ProductStatus
from marketplace.catalog.read_model import ListingFilters
from marketplace.extensions import db as _db
from marketplace.inventory.queries import available_variants_of_products
from tests.querycount import count_queries


def test_cards_show_price_range_seller_and_halal_of_visible_products_only(db, make_product, make_koperasi):
    koperasi = make_koperasi(region_code="kab-jember")
    shown = make_product(koperasi=koperasi, name="Kopi Kartu", prices=(30000, 20000), halal=True)
    hidden = make_product(koperasi=koperasi, name="Kopi Draf", status=ProductStatus.DRAFT)
    cards = read_model.product_cards([shown.id, hidden.id])
    assert list(cards) == [shown.id]
    card = cards[shown.id]
    assert (card.name, card.price_range, card.is_halal, card.in_stock) == ("Kopi Kartu", (20000, 30000), True, None)
    assert (card.koperasi.slug, card.koperasi.region_label) == (koperasi.slug, "Kabupaten Jember")


def test_listing_filters_sort_and_pages(db, make_product, make_koperasi):
    koperasi = make_koperasi()
    for price in (30000, 10000, 20000):
        make_product(koperasi=koperasi, name=f"Sarung {price}", prices=(price,))
    filters = ListingFilters(koperasi_id=koperasi.id, sort="termurah", price_min=15000)
    with count_queries(_db.engine) as statements:
        page = read_model.list_cards(filters, 1, 1)
    assert len(statements) == 2
    assert [c.name for c in page.items] == ["Sarung 20000"] and page.total == 2 and page.has_next


def test_detail_and_live_stock(db, make_stocked_product):
    product = make_stocked_product(stock=(4, 0), prices=(12000, 13000), halal=True, name="Keripik Detail")
    with count_queries(_db.engine) as statements:
        detail = read_model.product_detail(product.slug)
    assert len(statements) == 4
    assert [v.label for v in detail.variants] == ["Varian 1", "Varian 2"] and detail.price_range == (12000, 13000)
    assert detail.is_halal and detail.stock is None and detail.koperasi.name == product.koperasi.name
    stocked = read_model.with_stock(detail, available_variants_of_products([product.id]))
    assert stocked.stock == {product.variants[0].id: 4, product.variants[1].id: 0} and stocked.in_stock
    card = read_model.with_stock(read_model.product_cards([product.id])[product.id], {})
    assert card.in_stock is False
    assert read_model.product_detail("tidak-ada") is None
