"""Filters, facets, orderings and paging of the search engine, on the judged catalogue (no database needed)."""

from search_index import ProductDocument, SearchRequest
from search_index.engine import WhooshSearchEngine
from tests.search import judged

BY_SLUG = {d.slug: d for d in judged.documents()}


def search(engine, **fields):
    fields.setdefault("per_page", 50)
    return engine.search(SearchRequest(**fields))


def test_region_halal_and_price_filters_narrow_the_results(judged_engine):
    response = search(judged_engine, text="kopi", region_codes=("kab-banyuwangi", "kab-jember"))
    assert {h.slug for h in response.hits} == {"kopi-luwak-liar", "kopi-robusta-sumberjambe"}
    response = search(judged_engine, text="sabun", halal_only=True)
    assert response.total == 3 and all(BY_SLUG[h.slug].halal for h in response.hits)
    response = search(judged_engine, text="kopi", price_min=50000, price_max=90000)
    assert sorted(h.price for h in response.hits) == [52000, 55000, 85000]
    response = search(judged_engine, text="kopi", price_band="25000-50000")
    assert {h.slug for h in response.hits} == {"kopi-bubuk-tubruk", "kopi-rempah-sumenep"}
    assert search(judged_engine, text="kopi", price_band="0-25000").total == 0
    response = search(judged_engine, text="kopi", category_ids=(23,))
    assert response.total == 0 and response.hits == []


def test_category_filter_takes_a_parent_or_a_child(judged_engine):
    fashion = search(judged_engine, text="santri", category_ids=(2,))
    assert {h.slug for h in fashion.hits} == {"sarung-santri-kotak", "gamis-katun"}
    sarung = search(judged_engine, text="santri", category_ids=(22,))
    assert [h.slug for h in sarung.hits] == ["sarung-santri-kotak"]


def test_facet_counts_describe_the_filtered_results(judged_engine):
    facets = search(judged_engine, text="madu").facets
    assert facets.categories == {12: 3, 1: 3}
    assert facets.regions == {"kab-banyuwangi": 1, "kab-situbondo": 1, "kab-pasuruan": 1}
    assert facets.price_bands == {"50000-100000": 1, "100000-250000": 2}
    assert (facets.halal, facets.in_stock) == (3, 2)
    facets = search(judged_engine, text="madu", price_band="100000-250000").facets
    assert facets.regions == {"kab-banyuwangi": 1, "kab-situbondo": 1} and facets.in_stock == 2


def test_sold_out_products_come_after_available_ones_or_are_hidden(judged_engine):
    response = search(judged_engine, text="madu")
    assert [h.in_stock for h in response.hits] == [True, True, False]
    assert response.hits[-1].slug == "madu-randu"
    cheapest = search(judged_engine, text="madu", sort="termurah")
    assert [h.slug for h in cheapest.hits] == ["madu-hutan-baluran", "madu-klanceng", "madu-randu"]
    available = search(judged_engine, text="madu", in_stock_only=True)
    assert available.total == 2 and "madu-randu" not in {h.slug for h in available.hits}


def test_sorting_by_price_and_newest(judged_engine):
    prices = [h.price for h in search(judged_engine, text="kopi", sort="termurah").hits]
    assert prices == sorted(prices) and len(prices) == 6
    prices = [h.price for h in search(judged_engine, text="kopi", sort="termahal").hits]
    assert prices == sorted(prices, reverse=True)
    newest = [BY_SLUG[h.slug].created_at for h in search(judged_engine, text="kopi", sort="terbaru").hits]
    assert newest == sorted(newest, reverse=True)


def test_pages_split_the_results_without_overlap(judged_engine):
    everything = [h.slug for h in search(judged_engine, text="kopi", per_page=50).hits]
    pages = [search(judged_engine, text="kopi", per_page=2, page=n) for n in (1, 2, 3, 4)]
    assert [p.total for p in pages] == [6, 6, 6, 6]
    assert [h.slug for p in pages for h in p.hits] == everything
    assert pages[3].hits == []


def test_relevance_puts_name_matches_before_description_matches(judged_engine):
    names = [h.name for h in search(judged_engine, text="jahe").hits]
    # Alphabetical order would put "Kopi Rempah Sumenep" (jahe only in its description) second.
    assert set(names[:2]) == {"Jahe Merah Instan", "Sirup Jahe Santri"}
    assert set(names[2:]) == {"Wedang Uwuh Rempah", "Kopi Rempah Sumenep"}


def test_a_word_in_the_name_outweighs_the_same_word_repeated_in_a_description(tmp_path):
    def product(product_id: int, name: str, description: str) -> ProductDocument:
        return ProductDocument(
            product_id=product_id, slug=f"p-{product_id}", name=name, description=description, category="Kue",
            category_id=15, category_root_id=1, koperasi="Koppontren", pesantren="Pondok", region_code="kab-gresik",
            region_label="Kabupaten Gresik", price=30000,
        )

    engine = WhooshSearchEngine(tmp_path, refresh_interval=0)
    engine.rebuild([
        product(1, "Aneka Kue Lebaran", "Isi nastar, nastar keju, nastar nanas, nastar gula palem."),  # first A-Z
        product(2, "Zaitun Nastar", "Kue kering mentega."),
    ])
    assert [h.name for h in engine.search(SearchRequest(text="nastar")).hits] == ["Zaitun Nastar", "Aneka Kue Lebaran"]


def test_highlights_mark_every_form_of_the_word(judged_engine):
    hit = search(judged_engine, text="berbatik").hits[0]
    assert "<mark" in hit.name_html or "<mark" in hit.snippet_html
    hit = next(h for h in search(judged_engine, text="hijab").hits if h.slug == "kerudung-instan")
    assert hit.name_html.startswith("<mark>Kerudung</mark>")


def test_autocomplete_completes_words_and_offers_products(judged_engine):
    found = judged_engine.suggest("kop")
    assert found.queries[0] == "kopi" and all(h.name.startswith("Kop") for h in found.products)
    found = judged_engine.suggest("sarung te")
    assert found.queries == ["sarung tenun"] and found.products[0].slug == "sarung-tenun-goyor"
    assert judged_engine.suggest("").queries == [] and judged_engine.suggest("zzzq").queries == []
