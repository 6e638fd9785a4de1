"""Writing the index. Whoosh allows one writer per index at a time, so writes happen in exactly two places: the
search worker (one process consuming the ``search`` queue, one commit per batch of changes) and ``flask search
rebuild`` (which writes a fresh generation nobody else writes to, then swaps it in)."""

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh.index import LockError
from whoosh.writing import CLEAR

from search_index.api import BuildStats, Changes, IndexBusy, ProductDocument
from search_index.schema import document_fields
from search_index.storage import ensure_index, new_generation, swap_in
from search_index.whoosh_compat import open_index

WRITER_LOCK_TIMEOUT = 30.0


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).iterdir() if f.is_file())


def build_index(
    base: str | Path,
    documents: Iterable[ProductDocument],
    *,
    procs: int = 1,
    progress: Callable[[int], None] = lambda n: None,
    catch_up: Callable[[], Changes] | None = None,
) -> BuildStats:
    """Writes every document into a fresh generation and swaps it in. ``catch_up`` returns the changes made while
    the documents were being read; they are written into the new generation before it goes live, so no reader
    ever sees the rebuilt index without them."""
    started = time.perf_counter()
    generation = new_generation(base)
    ix = open_index(str(generation))
    options = {"procs": procs, "multisegment": True, "limitmb": 256} if procs > 1 else {"limitmb": 256}
    writer = ix.writer(**options)
    count = 0
    try:
        for document in documents:
            writer.add_document(**document_fields(document))
            count += 1
            if count % 1000 == 0:
                progress(1000)
        writer.commit(mergetype=CLEAR) if procs == 1 else writer.commit()
    except BaseException:
        writer.cancel()
        raise
    progress(count % 1000)
    if catch_up is not None:
        upserts, deletes = catch_up()
        if upserts or deletes:
            apply_changes(base, upserts, deletes, generation=generation)
    swap_in(base, generation)
    return BuildStats(count, time.perf_counter() - started, directory_size(generation), generation)


def apply_changes(
    base: str | Path, upserts: list[ProductDocument], deletes: Iterable[int], generation: Path | None = None
) -> None:
    """Adds or replaces the given products and removes the others, in one commit (into ``generation`` when given,
    else into the live index)."""
    ix = open_index(str(generation)) if generation else ensure_index(base)[0]
    try:
        writer = ix.writer(timeout=WRITER_LOCK_TIMEOUT, delay=0.05)
    except LockError as error:
        raise IndexBusy(f"the index writer stayed locked for {WRITER_LOCK_TIMEOUT:.0f} s") from error
    try:
        for product_id in deletes:
            writer.delete_by_term("id", str(product_id))
        for document in upserts:
            writer.update_document(**document_fields(document))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
