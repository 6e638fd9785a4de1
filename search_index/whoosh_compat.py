"""Every call into Whoosh that reads an index, and every use of its private internals, in one place.

Two fast paths depend on Whoosh internals (measured: several times faster than the public API): reading a term's
postings a block at a time from the W3 codec's leaf matcher, and reading a segment's numeric column as one byte
string. Each has a public-API path beside it; ``tests/search/test_whoosh_compat.py`` fails if the fast path is not
the one taken, so a Whoosh upgrade that renames an internal shows up as a failing test, not as a slower search.

Reading a damaged index raises whatever the damaged bytes make Whoosh's decoders raise (pickle, zlib, struct,
short reads). Those exceptions, and only around Whoosh calls, become ``IndexDamaged``; an exception raised by our
own code is a bug and travels on unchanged.
"""

import pickle
import struct
import sys
import zlib
from array import array
from contextlib import contextmanager

from whoosh import index as whoosh_index
from whoosh.fields import FieldConfigurationError
from whoosh.filedb.filetables import FileFormatError
from whoosh.reading import MultiReader, ReaderClosed, SegmentReader, TermNotFound
from whoosh.searching import Searcher

# What Whoosh's readers raise on damaged or vanished files (ValueError includes UnicodeDecodeError and reading a
# closed memory map).
DAMAGE_ERRORS = (
    whoosh_index.IndexError, ReaderClosed, FileFormatError, pickle.UnpicklingError, EOFError, OSError, struct.error,
    zlib.error, ValueError,
)
# Unpickling damaged bytes (the table of contents, stored fields) can also raise these (see the pickle module's
# documentation); they are translated only around the calls that unpickle, where they cannot come from our code.
UNPICKLING_ERRORS = (
    *DAMAGE_ERRORS, AttributeError, ImportError, IndexError, KeyError, TypeError, OverflowError,
    FieldConfigurationError,
)  # not MemoryError: a damaged length can ask for more memory than there is, but so can a real shortage
# Decoding a damaged term list can index past its end, or list a term whose postings are not there.
TERM_LIST_ERRORS = (*DAMAGE_ERRORS, IndexError, TermNotFound)
BLOCK_TAG_ERROR = "Block tag error"  # the W3 codec raises a bare Exception with this text for a damaged block


def _is_damaged_block(error: Exception) -> bool:
    return type(error) is Exception and str(error).startswith(BLOCK_TAG_ERROR)


class IndexUnavailable(Exception):
    """The index is missing or unreadable; search falls back until a rebuild recovers it."""


class IndexDamaged(IndexUnavailable):
    """Whoosh could not decode part of the index (or read a reader another thread closed): reopen, or rebuild."""


@contextmanager
def reading(errors: tuple[type[BaseException], ...] = DAMAGE_ERRORS):
    """Turns the exceptions of a damaged index raised inside the block into ``IndexDamaged``."""
    try:
        yield
    except errors as error:
        raise IndexDamaged(repr(error)) from error
    except Exception as error:  # only Whoosh's bare "Block tag error"; anything else travels on
        if _is_damaged_block(error):
            raise IndexDamaged(repr(error)) from error
        raise


def open_index(path: str):
    with reading(UNPICKLING_ERRORS):
        return whoosh_index.open_dir(path)


# --- postings --------------------------------------------------------------------------------------------------


def _leaf_matcher(matcher):
    """The codec's matcher under Whoosh's deletion filter (callers drop deleted documents themselves)."""
    while hasattr(matcher, "child"):
        matcher = matcher.child
    return matcher


def has_fast_postings(matcher) -> bool:
    leaf = _leaf_matcher(matcher)
    return all(hasattr(leaf, name) for name in ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights"))


def _fast_postings(leaf) -> dict[int, float]:
    postings: dict[int, float] = {}
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        if leaf._weights is None:
            leaf._read_weights()
        postings.update(zip(leaf._ids, leaf._weights, strict=False))
        leaf._next_block()
    return postings


def _generic_postings(matcher) -> dict[int, float]:
    postings: dict[int, float] = {}
    while matcher.is_active():
        postings[matcher.id()] = matcher.weight()
        matcher.next()
    return postings


def _checked(postings: dict[int, float], reader) -> dict[int, float]:
    """Damaged postings can name documents the segment does not have; they would index past every column."""
    if postings and max(postings) >= reader.doc_count_all():
        raise IndexDamaged(f"postings name document {max(postings)} of a {reader.doc_count_all()}-document segment")
    return postings


def _term_postings(reader, fieldname: str, text) -> dict[int, float]:
    leaf = _leaf_matcher(reader.postings(fieldname, text))
    return _checked(_fast_postings(leaf) if has_fast_postings(leaf) else _generic_postings(leaf), reader)


def read_postings(reader, fieldname: str, text: str) -> dict[int, float]:
    """{segment docnum: weight} for one term in one segment reader, deleted documents included."""
    with reading():
        try:
            return _term_postings(reader, fieldname, text)
        except TermNotFound:  # the term does not occur in this segment
            return {}


# --- columns ---------------------------------------------------------------------------------------------------


def has_fast_column(column) -> bool:
    return all(hasattr(column, name) for name in
               ("_dbfile", "_basepos", "_count", "_fixedlen", "_typecode", "_default", "_doccount"))


def _fast_column(column) -> list[int]:
    raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
    values = array(column._typecode)
    values.frombytes(raw)
    if sys.byteorder == "little":
        values.byteswap()  # Whoosh writes columns big-endian
    result = values.tolist()
    result.extend([column._default] * (column._doccount - len(result)))
    return result


def _generic_column(column) -> list[int]:
    return list(column)


def read_column(reader, name: str) -> list[int]:
    """A segment's integer column as a list, read in one piece (iterating Whoosh's column reader costs ~1 µs a
    value; the fast path is ~50 times faster)."""
    with reading():
        column = reader.column_reader(name, translate=False)
        return _fast_column(column) if has_fast_column(column) else _generic_column(column)


# --- other reads -----------------------------------------------------------------------------------------------


def term_documents(reader, fieldname: str) -> dict[str, list[int]]:
    """{term: segment docnums} for every term of a small keyword field (deleted documents included)."""
    with reading(TERM_LIST_ERRORS):
        return {term.decode("utf-8"): list(_term_postings(reader, fieldname, term))
                for term in reader.lexicon(fieldname)}


def term_frequencies(reader, fieldname: str) -> dict[str, int]:
    with reading(TERM_LIST_ERRORS):
        return {term.decode("utf-8"): info.doc_frequency() for term, info in reader.iter_field(fieldname)}


def doc_frequency(reader, fieldname: str, text: str) -> int:
    with reading():
        return reader.doc_frequency(fieldname, text)


def stored_fields(searcher, docnum: int) -> dict:
    with reading(UNPICKLING_ERRORS):
        return searcher.stored_fields(docnum)


def leaf_readers(searcher) -> list[tuple[object, str, int, frozenset[int]]]:
    """(segment reader, segment id, document offset, deleted segment docnums) for each segment."""
    with reading():
        return [
            (leaf.reader(), leaf.reader().segment().segment_id(), offset, leaf.reader().deleted_docs_set)
            for leaf, offset in searcher.leaf_searchers()
        ]


def new_searcher(ix):
    with reading():
        return ix.searcher()


def is_current(searcher) -> bool:
    with reading():
        return searcher.up_to_date()


def close_quietly(searcher) -> None:
    """Closing a searcher on damaged or removed files may fail; it is being discarded either way."""
    try:
        searcher.close()
    except DAMAGE_ERRORS:
        pass


def segment_count(ix) -> int:
    segments = ix._segments
    with reading(UNPICKLING_ERRORS):
        return len(segments())


def fresh_searcher(ix, previous):
    """A searcher on the latest commit that reuses the previous one's open segment readers where the segment is
    unchanged. Whoosh's own ``Searcher.refresh()`` matches segments by id only, so a segment that gained deletions
    (an updated product) kept showing the old document; here the deletion count is part of the match."""
    read_toc = ix._read_toc
    with reading(UNPICKLING_ERRORS):
        toc = read_toc()
    with reading():
        reusable = {
            (reader.segment().segment_id(), reader.segment().deleted_count()): reader
            for reader, _offset in previous.reader().leaf_readers()
            if reader.segment() is not None
        }
        readers = []
        for segment in toc.segments:
            reader = reusable.pop((segment.segment_id(), segment.deleted_count()), None)
            if reader is None:
                reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
            reader._gen = toc.generation  # so that up_to_date() compares against this commit
            readers.append(reader)
        if not readers:
            return ix.searcher()
        reader = readers[0] if len(readers) == 1 else MultiReader(readers, generation=toc.generation)
        # Readers no longer needed are left to the garbage collector: a request in another thread may still use them.
        return Searcher(reader, fromindex=ix)
