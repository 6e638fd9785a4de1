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

from search_index.schema import COLUMN_FIELDS
from search_index.storage import IndexUnavailable, current_generation, open_current

VOCABULARY_MAX_AGE = 60.0


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


class ReaderState:
    """One consistent view of the index: a searcher and the column lists that match its document numbers."""

    def __init__(self, searcher, generation: Path, segment_cache: dict):
        self.searcher = searcher
        self.generation = generation
        self.columns: dict[str, list[int]] = {name: [] for name in COLUMN_FIELDS}
        fresh_cache = {}
        for leaf, _offset in searcher.leaf_searchers():
            reader = leaf.reader()
            key = (str(generation), reader.segment().segment_id())
            values = segment_cache.get(key)
            if values is None:
                values = {name: list(reader.column_reader(name)) for name in COLUMN_FIELDS}
            fresh_cache[key] = values
            for name in COLUMN_FIELDS:
                self.columns[name].extend(values[name])
        segment_cache.clear()
        segment_cache.update(fresh_cache)
        self._vocabulary: Vocabulary | None = None

    def vocabulary(self, previous: Vocabulary | None = None) -> Vocabulary:
        if self._vocabulary is None:
            if previous is not None and time.monotonic() - previous.built_at < VOCABULARY_MAX_AGE:
                self._vocabulary = previous
            else:
                frequency = {}
                for term, info in self.searcher.reader().iter_field("words"):
                    frequency[term.decode("utf-8")] = info.doc_frequency()
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
            except IndexUnavailable:
                self._close()
                raise
            except Exception as error:  # a damaged segment discovered while reopening
                self._close()
                raise IndexUnavailable(repr(error)) from error
            return self._state

    def invalidate(self) -> None:
        """Forgets the open searcher; the next call reopens the index."""
        with self._lock:
            self._close()

    def _refreshed(self, state: ReaderState | None) -> ReaderState:
        generation = current_generation(self.base)
        if state is not None and generation == state.generation:
            if state.searcher.up_to_date():
                return state
            return self._new_state(state.searcher.refresh(), generation, state)
        self._close()
        self._index, generation = open_current(self.base)
        return self._new_state(self._index.searcher(), generation, state)

    def _new_state(self, searcher, generation: Path, previous: ReaderState | None) -> ReaderState:
        if previous is not None and previous._vocabulary is not None:
            self._last_vocabulary = previous._vocabulary
        new = ReaderState(searcher, generation, self._segment_cache)
        if self._last_vocabulary is not None:
            new.vocabulary(self._last_vocabulary)
        return new

    def _close(self) -> None:
        if self._state is not None:
            try:
                self._state.searcher.close()
            except Exception:  # noqa: S110 - closing a damaged searcher may fail; it is discarded anyway
                pass
        self._state = None
        self._index = None
        self._segment_cache.clear()
        self._last_vocabulary = None
