"""Judged queries: what buyers type, and the product that must appear among the first five results."""

import pytest

from search_index import SearchRequest
from tests.search import judged


@pytest.mark.parametrize(("text", "expected", "kind"), judged.JUDGED, ids=[q for q, _e, _k in judged.JUDGED])
def test_judged_query_finds_expected_product_in_top_five(judged_engine, text, expected, kind):
    response = judged_engine.search(SearchRequest(text=text, per_page=5, facets=False))
    slugs = [hit.slug for hit in response.hits]
    assert expected in slugs, f"{kind}: {text!r} gave {slugs} (suggestion {response.suggestion!r})"


def test_judged_set_is_big_enough_and_covers_every_kind():
    kinds = {kind.split("+")[0] for _q, _e, kind in judged.JUDGED}
    assert len(judged.JUDGED) >= 40
    assert {"synonym", "stem", "typo", "region", "sku"} <= kinds
