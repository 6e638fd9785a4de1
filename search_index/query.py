"""From what a buyer typed to a Whoosh query. The text is never handed to Whoosh's query parser: it is split into
words and each word becomes "this term in any text field" (or an exact SKU), all words required. Syntax
characters, unbalanced quotes, a lone ``*`` or very long input therefore cannot break a search.

Typo tolerance: a word the index has never seen is matched with its nearest known words (edit distance 1, or 2 for
longer words), and the best correction becomes the "Mungkin maksud Anda" suggestion.
"""

from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search_index import whoosh_compat as whoosh
from search_index.analysis import analyze, words
from search_index.api import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from search_index.reader import ReaderState
from search_index.schema import TEXT_FIELDS


@dataclass
class QueryWord:
    surface: str
    terms: list[str]  # analysed index terms (empty for a stop word)
    corrections: list[str] = field(default_factory=list)  # surface words
    correction_terms: list[str] = field(default_factory=list)

    @property
    def looks_like_sku(self) -> bool:
        return any(ch.isdigit() for ch in self.surface) and any(ch.isalpha() for ch in self.surface)


@dataclass
class ParsedQuery:
    text: str
    words: list[QueryWord]

    @property
    def searchable(self) -> list[QueryWord]:
        return [w for w in self.words if w.terms or w.looks_like_sku]


def parse(text: str) -> ParsedQuery:
    text = " ".join((text or "").split())[:MAX_QUERY_CHARS]
    parsed = []
    for surface in words(text)[:MAX_QUERY_WORDS]:
        parsed.append(QueryWord(surface, _unique(analyze(surface))))
    return ParsedQuery(text, parsed)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def word_terms(word: QueryWord, fuzzy: bool) -> list[tuple[str, str, float]]:
    """(field, term, boost) alternatives for one typed word: its analysed terms, its corrections when fuzzy, and
    the word as an exact SKU."""
    terms = list(word.terms)
    if fuzzy:
        terms += [t for t in word.correction_terms if t not in terms]
    triples = [(f, t, 1.0) for t in terms for f in TEXT_FIELDS]
    if word.looks_like_sku:
        triples.append(("sku", word.surface, 1.0))
    return triples


def matching_docs(state: ReaderState, parsed: ParsedQuery, *, fuzzy: bool = False, any_word: bool = False) -> set:
    """Every live document the query matches (all words, or any word), by set operations on postings."""
    per_word = []
    for word in parsed.searchable:
        docs = [state.postings(f, t).docs() for f, t, _b in word_terms(word, fuzzy)]
        per_word.append(set().union(*docs))
    if not per_word:
        return set()
    if any_word:
        return set().union(*per_word) - state.deleted
    per_word.sort(key=len)
    return per_word[0].intersection(*per_word[1:]) - state.deleted


def scoring_terms(state: ReaderState, parsed: ParsedQuery, fuzzy: bool = False) -> list[tuple[dict, float]]:
    return [(state.postings(f, t), boost) for word in parsed.searchable for f, t, boost in word_terms(word, fuzzy)]


def query_terms(parsed: ParsedQuery, fuzzy: bool = False) -> set[str]:
    """The index terms a hit may contain, for highlighting."""
    terms = {t for w in parsed.words for t in w.terms}
    if fuzzy:
        terms |= {t for w in parsed.words for t in w.correction_terms}
    return terms


def _known(state: ReaderState, word: QueryWord) -> bool:
    reader = state.searcher.reader()
    if word.looks_like_sku and whoosh.doc_frequency(reader, "sku", word.surface):
        return True
    return any(whoosh.doc_frequency(reader, f, t) for t in word.terms for f in TEXT_FIELDS)


def max_edits(word: str) -> int:
    return 0 if len(word) < 3 else 1 if len(word) <= 5 else 2


def correct(state: ReaderState, parsed: ParsedQuery) -> str | None:
    """Fills in corrections for unknown words; returns the corrected text, or None when nothing changed."""
    vocabulary = state.vocabulary()
    changed = False
    corrected_words = []
    for word in parsed.words:
        best = word.surface
        limit = max_edits(word.surface)
        if word.terms and limit and not word.looks_like_sku:
            # A known word is only corrected towards a clearly more common one ("kentan" → "kentang").
            own = vocabulary.frequency.get(word.surface, 0) if _known(state, word) else -1
            matches = [
                (choice, distance)
                for choice, distance, _ in process.extract(
                    word.surface, vocabulary.words, scorer=OSA.distance, score_cutoff=limit, limit=20
                )
                if choice != word.surface and vocabulary.frequency.get(choice, 0) >= 2 * own
            ]
            if matches:
                nearest = min(distance for _, distance in matches)
                closest = sorted(
                    (choice for choice, distance in matches if distance == nearest),
                    key=lambda w: -vocabulary.frequency.get(w, 0),
                )[:3]
                word.corrections = closest
                word.correction_terms = _unique([t for c in closest for t in analyze(c)])
                best, changed = closest[0], True
        corrected_words.append(best)
    return " ".join(corrected_words) if changed else None
