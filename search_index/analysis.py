"""Indonesian text analysis shared by indexing and querying.

Words are lower-cased, function words dropped, affixes removed with Sastrawi ("berbatik" → "batik") and synonyms
folded onto one canonical word ("hijab" → "jilbab"), so that an index term and a query term meet whatever form
the buyer typed. Sastrawi costs ~16 µs a word, so stems are cached per process.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

from whoosh.analysis import Filter, RegexTokenizer

DATA = Path(__file__).resolve().parent / "data"
TOKEN_PATTERN = r"\w+(?:['’\-]\w+)*"
_ALPHA = re.compile(r"[a-z]+(?:-[a-z]+)*")
_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_LIMIT = 500_000


def _data_lines(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@cache
def stopwords() -> frozenset[str]:
    return frozenset(word for line in _data_lines("stopwords.txt") for word in line.split())


@cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # The bare stemmer: the factory's CachedStemmer re-normalises the text on every call.
    return StemmerFactory().create_stemmer().delegatedStemmer


def stem(word: str) -> str:
    """Sastrawi stem of one lower-case word; words with digits (SKUs, sizes) are kept as they are."""
    stemmed = _STEM_CACHE.get(word)
    if stemmed is None:
        stemmed = _stemmer().stem_word(word) if _ALPHA.fullmatch(word) else word
        stemmed = stemmed or word
        if len(_STEM_CACHE) > _STEM_CACHE_LIMIT:
            _STEM_CACHE.clear()
        _STEM_CACHE[word] = stemmed
    return stemmed


@cache
def synonyms() -> dict[str, str]:
    """Maps the stem of every word in a synonym group to the stem of the group's first word."""
    mapping: dict[str, str] = {}
    for line in _data_lines("synonyms.txt"):
        words = [w.strip().lower() for w in line.split(",") if w.strip()]
        canonical = stem(words[0])
        for word in words:
            mapping[word] = canonical
            mapping[stem(word)] = canonical
    return mapping


def fold(text: str) -> str:
    """Unicode compatibility folding and apostrophe removal ("Syar'i" → "syari", full-width letters → ASCII)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.replace("'", "").replace("’", "")


_TERM_CACHE: dict[str, str] = {}
_STOPPED = ""


def index_term(token: str) -> str:
    """The index term for one raw token ("" for a stop word): lower-case, folded, stemmed, synonym-folded.
    One cached dict lookup per token once warm, which is what keeps a 100k-product rebuild within a minute."""
    term = _TERM_CACHE.get(token)
    if term is None:
        word = fold(token.lower())
        if not word or word in stopwords():
            term = _STOPPED
        else:
            table = synonyms()
            term = table.get(word) or table.get(stem(word)) or stem(word)
        if len(_TERM_CACHE) > _STEM_CACHE_LIMIT:
            _TERM_CACHE.clear()
        _TERM_CACHE[token] = term
    return term


class IndonesianFilter(Filter):
    """Replaces Whoosh's lowercase, stop and stem filters with one cached lookup per token."""

    def __call__(self, tokens):
        for token in tokens:
            term = index_term(token.text)
            if term:
                token.text = term
                yield token
            elif not token.removestops:
                token.stopped = True
                yield token


def indonesian_analyzer():
    return RegexTokenizer(TOKEN_PATTERN) | IndonesianFilter()


SECTION_BREAK = "\x1e"  # separates the parts of a combined text; each part gets its own weight


class SectionBoostFilter(Filter):
    """Weights each token by the part of the combined text it came from (name counts more than description)."""

    def __init__(self, boosts: tuple[float, ...]):
        self.boosts = boosts

    def __call__(self, tokens):
        section = 0
        for token in tokens:
            if token.text == SECTION_BREAK:
                section = min(section + 1, len(self.boosts) - 1)
                continue
            token.boost = self.boosts[section]
            yield token


def weighted_analyzer(boosts: tuple[float, ...]):
    """For one field that holds name, category, place and description: one posting list per word (cheap to
    match) with the weight of the part the word was found in (cheap field boosts)."""
    return RegexTokenizer(f"{TOKEN_PATTERN}|{SECTION_BREAK}") | SectionBoostFilter(boosts) | IndonesianFilter()


_ANALYZER = None


def analyze(text: str) -> list[str]:
    """The index terms for a piece of text (query side)."""
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = indonesian_analyzer()
    return [token.text for token in _ANALYZER(text, mode="query")]


def words(text: str) -> list[str]:
    """Lower-case surface words of a text, in order."""
    return [fold(w.lower()) for w in re.findall(TOKEN_PATTERN, text)]
