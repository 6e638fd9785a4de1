"""The Whoosh implementation of the search interface: matching, filters, facets, ordering, snippets."""

import heapq
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from operator import itemgetter
from pathlib import Path

from search_index import whoosh_compat as whoosh
from search_index.analysis import analyze, words
from search_index.api import (
    MAX_QUERY_CHARS,
    PRICE_BANDS,
    BuildStats,
    Changes,
    Facets,
    Hit,
    IndexStatus,
    ProductDocument,
    SearchRequest,
    SearchResponse,
    SearchUnavailable,
    Suggestions,
)
from search_index.query import correct, matching_docs, parse, query_terms, scoring_terms
from search_index.reader import IndexReaderPool, ReaderState
from search_index.scoring import bm25_scores, highlight_html
from search_index.storage import open_current
from search_index.whoosh_compat import IndexDamaged, IndexUnavailable
from search_index.writer import apply_changes, build_index

log = logging.getLogger(__name__)
FEW_RESULTS = 3
IN_STOCK_FIRST = 1e9  # far above any BM25 score
COMMON_WORD_SHARE = 0.3
MAX_COMPLETION_TERMS = 8
SNIPPET_CHARS = 160
_BANDS = {key: (low, high) for key, low, high in PRICE_BANDS}


class WhooshSearchEngine:
    """Reads from this process's searcher on ``base``; writes (``apply_changes``, ``rebuild``) must come from one
    process at a time (the search worker, or ``flask search rebuild`` writing a fresh generation)."""

    def __init__(self, base: str | Path, refresh_interval: float = 0.1):
        self.base = Path(base)
        self.pool = IndexReaderPool(base, refresh_interval)

    def apply_changes(self, upserts: list[ProductDocument], deletes: Iterable[int]) -> None:
        apply_changes(self.base, upserts, deletes)

    def rebuild(
        self, documents: Iterable[ProductDocument], *, procs: int = 1,
        progress: Callable[[int], None] = lambda n: None, catch_up: Callable[[], Changes] | None = None,
    ) -> BuildStats:
        return build_index(self.base, documents, procs=procs, progress=progress, catch_up=catch_up)

    def status(self) -> IndexStatus:
        try:
            ix, generation = open_current(self.base)
            searcher = whoosh.new_searcher(ix)
            try:
                return IndexStatus(generation.name, searcher.doc_count(), whoosh.segment_count(ix))
            finally:
                whoosh.close_quietly(searcher)
        except IndexUnavailable as error:
            raise SearchUnavailable(str(error)) from error

    def search(self, request: SearchRequest) -> SearchResponse:
        return self._guarded(self._search, request)

    def suggest(self, text: str, limit: int = 8, products: int = 4) -> Suggestions:
        return self._guarded(self._suggest, text, limit, products)

    def _guarded(self, function, *args):
        for attempt in range(2):
            try:
                return function(self.pool.state(), *args)
            except IndexDamaged as error:  # a damaged segment, or a reader closed by a refresh in another thread
                if attempt:
                    log.warning("search index damaged: %s", error)
                    raise SearchUnavailable(str(error)) from error
                self.pool.invalidate()
            except IndexUnavailable as error:  # missing or unreadable: expected until a rebuild, no traceback
                log.warning("search index unavailable: %s", error)
                raise SearchUnavailable(str(error)) from error
        raise AssertionError("unreachable")

    # --- searching -------------------------------------------------------------------------------------------

    def _search(self, state: ReaderState, request: SearchRequest) -> SearchResponse:
        parsed = parse(request.text)
        if parsed.searchable:
            matched = matching_docs(state, parsed)
        elif not parsed.text:  # no words at all: every product (a browse page)
            matched = set(range(len(state.columns["price"]))) - state.deleted
        else:
            matched = set()
        suggestion, corrected, relaxed, fuzzy = None, False, False, False
        if len(matched) < FEW_RESULTS and parsed.searchable:
            corrected_text = correct(state, parsed)
            if corrected_text:
                fuzzy_matched = matching_docs(state, parsed, fuzzy=True)
                if len(fuzzy_matched) > len(matched):
                    suggestion = corrected_text
                    if not matched:
                        matched, corrected, fuzzy = fuzzy_matched, True, True
        if not matched and len(parsed.searchable) > 1:
            matched = matching_docs(state, parsed, fuzzy=fuzzy, any_word=True)
            relaxed = bool(matched)

        columns = state.columns
        selected = _apply_filters(state, list(matched), request) if request.has_filters else list(matched)
        facets = _count_facets(state, selected) if request.facets else None
        sort = request.sort if parsed.searchable or request.sort != "relevansi" else "terbaru"
        start = (max(1, request.page) - 1) * request.per_page
        end = start + request.per_page
        if sort == "relevansi":
            scores = bm25_scores(
                scoring_terms(state, parsed, fuzzy), selected, columns["text_length"], state.average_length,
                state.live_count,
            )
            page = [(d, scores[d]) for d in _best(scores, columns["in_stock"], end)[start:end]]
        else:
            page = [(d, None) for d in _by_column(columns, selected, sort, end)[start:end]]
        terms = query_terms(parsed, fuzzy) if request.highlight else set()
        hits = [_hit(state, docnum, score, terms) for docnum, score in page]
        return SearchResponse(
            text=parsed.text, hits=hits, total=len(selected), page=max(1, request.page),
            per_page=request.per_page, facets=facets, suggestion=suggestion, corrected=corrected, relaxed=relaxed,
        )

    # --- autocomplete ----------------------------------------------------------------------------------------

    def _suggest(self, state: ReaderState, text: str, limit: int, products: int) -> Suggestions:
        typed = words((text or "")[:MAX_QUERY_CHARS])[-6:]
        if not typed:
            return Suggestions([], [])
        prefix, lead = typed[-1], typed[:-1]
        vocabulary = state.vocabulary()
        completions = vocabulary.completions(prefix, 30 if lead else limit)
        if not completions or (not lead and len(prefix) < 2):
            return Suggestions([" ".join([*lead, c]) for c in completions[:limit]], [])
        boosts: dict[str, float] = {}
        for rank, completion in enumerate(completions):
            for term in analyze(completion):
                boosts.setdefault(term, 4.0 if rank == 0 else 1.0)  # the most frequent completion leads
        # Words on nearly every product ("pesantren", "kabupaten") say nothing about what the buyer is typing.
        common = max(COMMON_WORD_SHARE * state.live_count, 500)
        last_terms = [
            (postings, boost) for postings, boost in ((state.postings("text", t), b) for t, b in boosts.items())
            if len(postings) <= common
        ][:MAX_COMPLETION_TERMS]
        lead_parsed = parse(" ".join(lead))
        if lead_parsed.searchable:
            lead_docs = matching_docs(state, lead_parsed)
            candidates = set()
            for postings, _boost in last_terms:
                for part in postings.parts:
                    candidates |= part.keys() & lead_docs  # CPython walks the smaller side
            scoring = last_terms + scoring_terms(state, lead_parsed)
        else:  # products for the most frequent completion only: a two-letter prefix would otherwise score thousands
            scoring = [(state.postings("text", t), 1.0) for t in analyze(completions[0])]
            # Highest weights first (the word in the name): a short list to score instead of every product.
            candidates = {
                d for postings, _b in scoring for part in postings.parts
                for d, _w in heapq.nlargest(50, part.items(), key=itemgetter(1))
            } - state.deleted
        scores = bm25_scores(
            scoring, candidates, state.columns["text_length"], state.average_length, state.live_count
        )
        best = _best(scores, state.columns["in_stock"], max(products, 20 if lead else products))
        found = [_hit(state, docnum, scores[docnum], set()) for docnum in best]
        if lead:
            # Complete with words that occur together with the words already typed, most frequent first.
            seen = Counter(w for hit in found for w in set(words(hit.name)) if w.startswith(prefix))
            completions = sorted(seen, key=lambda w: (-seen[w], -vocabulary.frequency.get(w, 0), w))
        return Suggestions([" ".join([*lead, c]) for c in completions[:limit]], found[:products])

    def invalidate(self) -> None:
        self.pool.invalidate()


def _best(scores: dict[int, float], in_stock: list[int], count: int) -> list[int]:
    """The best-scoring documents, every in-stock one before any sold-out one."""
    ranked = {d: score + IN_STOCK_FIRST * in_stock[d] for d, score in scores.items()}
    return [d for d, _score in heapq.nlargest(count, ranked.items(), key=itemgetter(1))]


def _apply_filters(state: ReaderState, docs: list[int], request: SearchRequest) -> list[int]:
    columns = state.columns
    checks = []
    if request.category_ids:
        wanted = set(request.category_ids)
        leaf, root = columns["category_id"], columns["category_root_id"]
        checks.append(lambda d: leaf[d] in wanted or root[d] in wanted)
    if request.region_codes:
        known = state.keys["region"].number
        regions = {known.get(code, -1) for code in request.region_codes}
        region = columns["region"]
        checks.append(lambda d: region[d] in regions)
    if request.halal_only:
        halal = columns["halal"]
        checks.append(halal.__getitem__)
    if request.in_stock_only:
        in_stock = columns["in_stock"]
        checks.append(in_stock.__getitem__)
    low, high = request.price_min, request.price_max
    if request.price_band in _BANDS:
        band_low, band_high = _BANDS[request.price_band]
        low = band_low if low is None else max(low, band_low)
        high = band_high - 1 if band_high is not None and high is None else high
    if low is not None or high is not None:
        price, low_v, high_v = columns["price"], low or 0, high if high is not None else 1 << 40
        checks.append(lambda d: low_v <= price[d] <= high_v)
    for check in checks:
        docs = [d for d in docs if check(d)]
    return docs


def _count_facets(state: ReaderState, docs: list[int]) -> Facets:
    columns = state.columns
    leaf = Counter(map(columns["category_id"].__getitem__, docs))
    root = Counter(map(columns["category_root_id"].__getitem__, docs))
    categories = {k: v for k, v in (leaf + root).items() if k}
    for key in set(leaf) & set(root):  # a product filed directly under a top-level category
        if key:
            categories[key] = max(leaf[key], root[key])
    regions = Counter(map(columns["region"].__getitem__, docs))
    region_keys = state.keys["region"].key
    price = columns["price"]
    bounds = [low for _key, low, _high in PRICE_BANDS[1:]]
    band_counts = Counter(sum(p >= b for b in bounds) for p in map(price.__getitem__, docs))
    return Facets(
        categories=categories,
        regions={region_keys[k]: v for k, v in regions.most_common() if k in region_keys},
        price_bands={PRICE_BANDS[i][0]: n for i, n in sorted(band_counts.items())},
        halal=sum(map(columns["halal"].__getitem__, docs)),
        in_stock=sum(map(columns["in_stock"].__getitem__, docs)),
    )


def _by_column(columns: dict[str, list[int]], docs: list[int], sort: str, count: int) -> list[int]:
    """Cheapest, dearest or newest first; in-stock products before sold-out ones in every order."""
    in_stock, price, created = columns["in_stock"], columns["price"], columns["created"]
    if sort == "termurah":
        return heapq.nsmallest(count, docs, key=lambda d: (-in_stock[d], price[d], d))
    if sort == "termahal":
        return heapq.nsmallest(count, docs, key=lambda d: (-in_stock[d], -price[d], d))
    return heapq.nsmallest(count, docs, key=lambda d: (-in_stock[d], -created[d], -d))


def _hit(state: ReaderState, docnum: int, score: float | None, terms: set[str]) -> Hit:
    stored = whoosh.stored_fields(state.searcher, docnum)
    name, description = stored.get("name", ""), stored.get("description", "")
    return Hit(
        product_id=int(stored["id"]), slug=stored.get("slug", ""), name=name,
        name_html=highlight_html(name, terms), snippet_html=highlight_html(description, terms, SNIPPET_CHARS),
        price=state.columns["price"][docnum], in_stock=bool(state.columns["in_stock"][docnum]), score=score,
    )
