"""Per-process readers. Opening an index and its first query cost hundreds of milliseconds, so each process keeps
one searcher open and refreshes it (cheaply: unchanged segments are reused) when a commit or a rebuild happened.
Readers take no lock, so any number of web processes read while the single writer commits.

For filters, facets and sorts the reader keeps every segment's integer columns as Python lists, loaded once per
segment and concatenated in the searcher's document order.
"""

import bisect
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from search_index import whoosh_compat as whoosh
from search_index.schema import COLUMN_FIELDS, KEY_FIELDS
from search_index.scoring import Postings
from search_index.storage import current_generation, open_current
from search_index.whoosh_compat import IndexUnavailable

VOCABULARY_MAX_AGE = 60.0
TERM_CACHE_SIZE = 2000


@dataclass
class Vocabulary:
    """Surface words with their document frequency: autocomplete and spelling suggestions read it."""

    words: list[str]
    frequency: dict[str, int]
    built_at: float = field(default_factory=time.monotonic)

    def completions(self, prefix: str, limit: int) -> list[str]:
        start = bisect.bisect_left(self.words, prefix)
        end = bisect.bisect_left(self.words, prefix + "\uffff", lo=start)
        candidates = self.words[start:end]
        if len(candidates) > limit:
            candidates = sorted(candidates, key=lambda w: (-self.frequency[w], w))[:limit]
        else:
            candidates = sorted(candidates, key=lambda w: (-self.frequency[w], w))
        return candidates


class KeyNumbers:
    """Small numbers for the values of a keyword field (a region code → 1, 2, ...; 0 = none), assigned as
    segments are loaded and kept for the life of the reader pool, so every segment's column agrees."""

    def __init__(self):
        self.number: dict[str, int] = {}
        self.key: dict[int, str] = {}

    def of(self, key: str) -> int:
        found = self.number.get(key)
        if found is None:
            found = self.number[key] = len(self.number) + 1
            self.key[found] = key
        return found


def _key_column(reader, fieldname: str, numbers: KeyNumbers) -> list[int]:
    column = [0] * reader.doc_count_all()
    for key, docs in whoosh.term_documents(reader, fieldname).items():
        number = numbers.of(key)
        for doc in docs:
            column[doc] = number
    return column


class ReaderState:
    """One consistent view of the index: a searcher and the column lists that match its document numbers."""

    def __init__(self, searcher, generation: Path, segment_cache: dict, keys: dict[str, KeyNumbers]):
        self.searcher = searcher
        self.generation = generation
        self.keys = keys
        self.columns: dict[str, list[int]] = {name: [] for name in COLUMN_FIELDS + KEY_FIELDS}
        self.deleted: set[int] = set()
        self.segments = []  # (segment key, reader, offset)
        fresh_cache = {}
        for reader, segment_id, offset, deleted in whoosh.leaf_readers(searcher):
            key = (str(generation), segment_id)
            values = segment_cache.get(key)
            if values is None:
                loaded = {name: whoosh.read_column(reader, name) for name in COLUMN_FIELDS}
                loaded.update({name: _key_column(reader, name, keys[name]) for name in KEY_FIELDS})
                values = {"columns": loaded, "postings": {}, "shifted": {}, "words": None}
            fresh_cache[key] = values
            for name in COLUMN_FIELDS + KEY_FIELDS:
                self.columns[name].extend(values["columns"][name])
            self.deleted.update(offset + d for d in deleted)
            self.segments.append((values, reader, offset))
        segment_cache.clear()
        segment_cache.update(fresh_cache)
        self.live_count = len(self.columns["price"]) - len(self.deleted)
        lengths = self.columns["text_length"]
        self.average_length = (sum(lengths) / len(lengths)) if lengths else 1.0
        self._vocabulary: Vocabulary | None = None
        self._postings: dict[tuple[str, str], Postings] = {}

    def postings(self, fieldname: str, text: str) -> Postings:
        """A term's postings, one {docnum: weight} dict per segment (deleted documents included: subtract
        ``deleted``). Each segment's dict is kept while the segment lives, so after a commit only the new small
        segment is read from disk."""
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is None:
            parts = []
            for values, reader, offset in self.segments:
                cache, shifted = values["postings"], values["shifted"]
                if len(cache) >= TERM_CACHE_SIZE:
                    cache.clear()
                    shifted.clear()
                local = cache.get(key)
                if local is None:
                    local = cache[key] = whoosh.read_postings(reader, fieldname, text)
                if not local:
                    continue
                if offset:
                    local = shifted.get((key, offset)) or shifted.setdefault(
                        (key, offset), {d + offset: w for d, w in local.items()}
                    )
                parts.append(local)
            found = self._postings[key] = Postings(parts)
        return found

    def docs(self, fieldname: str, text: str) -> set[int]:
        return self.postings(fieldname, text).docs() - self.deleted

    def vocabulary(self, previous: Vocabulary | None = None) -> Vocabulary:
        if self._vocabulary is None:
            if previous is not None and time.monotonic() - previous.built_at < VOCABULARY_MAX_AGE:
                self._vocabulary = previous
            else:
                frequency: dict[str, int] = {}
                for values, reader, _offset in self.segments:
                    if values["words"] is None:  # per segment, so a commit only adds the new segment's words
                        values["words"] = whoosh.term_frequencies(reader, "words")
                    for word, count in values["words"].items():
                        frequency[word] = frequency.get(word, 0) + count
                self._vocabulary = Vocabulary(sorted(frequency), frequency)
        return self._vocabulary


class IndexReaderPool:
    """The process-wide searcher for one index directory."""

    def __init__(self, base: str | Path, refresh_interval: float = 0.1):
        self.base = Path(base)
        self.refresh_interval = refresh_interval
        self._lock = threading.Lock()
        self._state: ReaderState | None = None
        self._index = None
        self._checked_at = 0.0
        self._segment_cache: dict = {}
        self._keys = {name: KeyNumbers() for name in KEY_FIELDS}
        self._last_vocabulary: Vocabulary | None = None

    def state(self) -> ReaderState:
        """The current view, refreshed if the index changed since the last check (at most every interval)."""
        now = time.monotonic()
        state = self._state
        if state is not None and now - self._checked_at < self.refresh_interval:
            return state
        with self._lock:
            self._checked_at = now
            try:
                self._state = self._refreshed(self._state)
            except IndexUnavailable:  # missing, or a damaged segment discovered while reopening
                self._close()
                raise
            return self._state

    def invalidate(self) -> None:
        """Forgets the open searcher; the next call reopens the index."""
        with self._lock:
            self._close()

    def _refreshed(self, state: ReaderState | None) -> ReaderState:
        generation = current_generation(self.base)
        if state is not None and generation == state.generation:
            if whoosh.is_current(state.searcher):
                return state
            return self._new_state(whoosh.fresh_searcher(self._index, state.searcher), generation, state)
        self._close()
        self._index, generation = open_current(self.base)
        return self._new_state(whoosh.new_searcher(self._index), generation, state)

    def _new_state(self, searcher, generation: Path, previous: ReaderState | None) -> ReaderState:
        if previous is not None and previous._vocabulary is not None:
            self._last_vocabulary = previous._vocabulary
        new = ReaderState(searcher, generation, self._segment_cache, self._keys)
        if self._last_vocabulary is not None:
            new.vocabulary(self._last_vocabulary)
        return new

    def _close(self) -> None:
        if self._state is not None:
            whoosh.close_quietly(self._state.searcher)
        self._state = None
        self._index = None
        self._segment_cache.clear()
        self._keys = {name: KeyNumbers() for name in KEY_FIELDS}
        self._last_vocabulary = None
