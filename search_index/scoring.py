"""Matching and ranking over raw postings. Whoosh's collector walks every matching document through several
Python calls; reading a term's postings a block at a time into a dict (``whoosh_compat.read_postings``) and doing
the rest with set operations and one BM25 loop is several times faster, and the per-segment postings can be kept
between commits."""

import math
import re
from functools import lru_cache
from html import escape

from search_index.analysis import TOKEN_PATTERN, index_term, synonyms

K1, B = 1.2, 0.75
_TOKEN = re.compile(TOKEN_PATTERN)


class Postings:
    """A term's postings as one {docnum: weight} dict per segment (document numbers already global)."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[dict[int, float]]):
        self.parts = parts

    def __len__(self) -> int:
        return sum(map(len, self.parts))

    def docs(self) -> set[int]:
        return set().union(*(part.keys() for part in self.parts))


def bm25_scores(
    term_postings: list[tuple[Postings, float]], candidates, lengths: list[int], average_length: float,
    live_count: int,
) -> dict[int, float]:
    """BM25 score of each candidate over the given (postings, boost) terms."""
    scores = dict.fromkeys(candidates, 0.0)
    for term, boost in term_postings:
        frequency = len(term)
        if not frequency:
            continue
        idf = boost * math.log(1 + (live_count - frequency + 0.5) / (frequency + 0.5))
        top = idf * (K1 + 1)
        norm_a, norm_b = K1 * (1 - B), K1 * B / (average_length or 1)
        for postings in term.parts:
            _add_scores(scores, postings, top, norm_a, norm_b, lengths)
    return scores


def _add_scores(scores: dict, postings: dict, top: float, norm_a: float, norm_b: float, lengths: list[int]) -> None:
    if len(postings) < len(scores):
        for doc, weight in postings.items():
            if doc in scores:
                scores[doc] += top * weight / (weight + norm_a + norm_b * lengths[doc])
    else:
        get = postings.get
        for doc in scores:
            weight = get(doc)
            if weight:
                scores[doc] += top * weight / (weight + norm_a + norm_b * lengths[doc])


@lru_cache(maxsize=256)
def _could_match(terms: frozenset[str]):
    """A cheap test that rules out most words before stemming them: an affixed word still contains its root
    (less the first letter, which a prefix may replace: "memukul" → "pukul"); synonyms are checked by name."""
    if not terms:
        return lambda word: False
    if any(len(t) < 4 for t in terms):
        return lambda word: True
    synonyms_of_terms = {word for word, canonical in synonyms().items() if canonical in terms}
    cores = re.compile("|".join(re.escape(t[1:]) for t in sorted(terms)))
    return lambda word: word in synonyms_of_terms or cores.search(word) is not None


def highlight_html(text: str, terms: set[str], window: int | None = None) -> str:
    """Escaped text with every word whose index term is in ``terms`` wrapped in <mark>; with ``window``, only
    about that many characters around the first match (or from the start when nothing matches)."""
    maybe = _could_match(frozenset(terms))
    matches = [
        (m.start(), m.end()) for m in _TOKEN.finditer(text)
        if terms and maybe(m.group().lower()) and index_term(m.group()) in terms
    ]
    start, end = 0, len(text)
    if window is not None and len(text) > window:
        first = matches[0][0] if matches else 0
        start = max(0, first - window // 3)
        start = text.rfind(" ", 0, start) + 1 if start else 0
        end = min(len(text), start + window)
        space = text.rfind(" ", start, end)
        end = space if end < len(text) and space > start else end
    parts, cursor = [], start
    for m_start, m_end in matches:
        if m_start < start or m_end > end:
            continue
        parts.append(escape(text[cursor:m_start], quote=False))
        parts.append(f"<mark>{escape(text[m_start:m_end], quote=False)}</mark>")
        cursor = m_end
    parts.append(escape(text[cursor:end], quote=False))
    return ("…" if start else "") + "".join(parts) + ("…" if end < len(text) else "")
