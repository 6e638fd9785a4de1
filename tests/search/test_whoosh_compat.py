"""The Whoosh compatibility module: its fast paths are the ones taken (a Whoosh upgrade that renames an internal
fails here instead of silently slowing search down or changing results), they agree with Whoosh's public API, and
only the exceptions of a damaged index are translated — a bug is not turned into "term not present"."""

import pytest

from search_index import ProductDocument, SearchRequest, SearchUnavailable
from search_index import whoosh_compat as whoosh
from search_index.engine import WhooshSearchEngine
from search_index.storage import current_generation
from search_index.writer import apply_changes, build_index
from tests.search import judged


def _refuse(*args):
    raise AssertionError("the generic (public API) path was taken: a Whoosh internal changed")


@pytest.fixture(scope="module")
def segment_reader(judged_engine):
    state = judged_engine.pool.state()
    assert len(state.segments) == 1
    return state.segments[0][1]


def test_postings_take_the_fast_path_and_match_the_public_api(segment_reader, monkeypatch):
    public = {}
    matcher = segment_reader.postings("text", "kopi")
    while matcher.is_active():
        public[matcher.id()] = matcher.weight()
        matcher.next()
    monkeypatch.setattr(whoosh, "_generic_postings", _refuse)
    fast = whoosh.read_postings(segment_reader, "text", "kopi")
    assert fast == public and len(fast) == 6  # the six coffees


def test_columns_take_the_fast_path_and_match_the_public_api(segment_reader, monkeypatch):
    public = list(segment_reader.column_reader("price", translate=False))
    monkeypatch.setattr(whoosh, "_generic_column", _refuse)
    fast = whoosh.read_column(segment_reader, "price")
    assert fast == public
    assert fast[:3] == [p[5] for p in judged.PRODUCTS[:3]]  # the prices as written, not byte-swapped garbage


def test_a_missing_term_is_empty_but_a_bug_is_not_hidden(segment_reader, monkeypatch):
    assert whoosh.read_postings(segment_reader, "text", "tidakadakatasemacamini") == {}

    def broken(*args):
        raise KeyError("a bug in our code")

    monkeypatch.setattr(whoosh, "_fast_postings", broken)
    with pytest.raises(KeyError, match="a bug in our code"):
        whoosh.read_postings(segment_reader, "text", "kopi")


def test_a_bug_during_search_is_raised_not_reported_as_an_unavailable_index(judged_engine, monkeypatch):
    def broken(*args):
        raise TypeError("a bug in our code")

    monkeypatch.setattr("search_index.engine.bm25_scores", broken)
    with pytest.raises(TypeError, match="a bug in our code"):
        judged_engine.search(SearchRequest(text="kopi"))


def test_only_whoosh_s_own_damaged_block_error_becomes_index_damaged():
    with pytest.raises(whoosh.IndexDamaged):
        with whoosh.reading():
            raise Exception("Block tag error b'\\x00\\x00'")  # exactly what Whoosh's W3 codec raises
    with pytest.raises(RuntimeError, match="Block tag error"):  # same words, another type: not Whoosh's
        with whoosh.reading():
            raise RuntimeError("Block tag error in our own code")


def _document(product_id: int, name: str) -> ProductDocument:
    return ProductDocument(
        product_id=product_id, slug=f"p-{product_id}", name=name, description="", category="", category_id=1,
        category_root_id=1, koperasi="Koppontren", pesantren="Pondok", region_code="kab-jember",
        region_label="Kabupaten Jember", price=10000,
    )


def test_a_refreshed_searcher_reuses_unchanged_segments_and_sees_replacements(tmp_path):
    build_index(tmp_path, [_document(1, "Kopi Robusta"), _document(2, "Madu Hutan")])
    apply_changes(tmp_path, [_document(3, "Sambal Bawang")], [])
    ix, _generation = whoosh.open_index(str(current_generation(tmp_path))), None
    searcher = whoosh.new_searcher(ix)
    first_reader = searcher.reader().leaf_readers()[0][0]
    assert whoosh.segment_count(ix) == 2

    apply_changes(tmp_path, [_document(3, "Sambal Cumi")], [])  # replaces a document: the old one is deleted
    assert not whoosh.is_current(searcher)
    fresh = whoosh.fresh_searcher(ix, searcher)
    assert fresh.reader().leaf_readers()[0][0] is first_reader  # the untouched segment is not reopened
    names = {fields["name"] for fields in fresh.all_stored_fields()}
    assert names == {"Kopi Robusta", "Madu Hutan", "Sambal Cumi"}
    assert whoosh.is_current(fresh)


def test_an_index_written_with_another_schema_is_unavailable_until_rebuilt(tmp_path):
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema

    from search_index.storage import new_generation, swap_in

    generation = new_generation(tmp_path)
    whoosh_index.create_in(str(generation), Schema(id=ID(stored=True)))  # an older layout
    swap_in(tmp_path, generation)
    engine = WhooshSearchEngine(tmp_path, refresh_interval=0)
    with pytest.raises(SearchUnavailable, match="another schema"):
        engine.search(SearchRequest(text="kopi"))
    engine.rebuild([_document(1, "Kopi Robusta")])
    assert [hit.name for hit in engine.search(SearchRequest(text="kopi")).hits] == ["Kopi Robusta"]
