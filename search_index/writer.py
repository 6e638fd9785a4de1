"""Writing the index. Whoosh allows one writer per index at a time, so writes happen in exactly two places: the
search worker (one process consuming the ``search`` queue, one commit per batch of changes) and ``flask search
rebuild`` (which writes a fresh generation nobody else writes to, then swaps it in)."""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.writing import CLEAR

from search_index.schema import ProductDocument
from search_index.storage import ensure_index, new_generation, swap_in

WRITER_LOCK_TIMEOUT = 30.0


@dataclass
class BuildStats:
    documents: int
    seconds: float
    bytes: int
    generation: Path


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).iterdir() if f.is_file())


def build_index(
    base: str | Path,
    documents: Iterable[ProductDocument],
    *,
    procs: int = 1,
    progress: Callable[[int], None] = lambda n: None,
    before_swap: Callable[[Path], None] = lambda generation: None,
) -> BuildStats:
    """Writes every document into a fresh generation and swaps it in. ``before_swap`` may still write to the new
    generation (used to replay changes that happened while the rebuild was reading)."""
    from whoosh import index as whoosh_index

    started = time.perf_counter()
    generation = new_generation(base)
    ix = whoosh_index.open_dir(str(generation))
    options = {"procs": procs, "multisegment": True, "limitmb": 256} if procs > 1 else {"limitmb": 256}
    writer = ix.writer(**options)
    count = 0
    try:
        for document in documents:
            writer.add_document(**document.fields())
            count += 1
            if count % 1000 == 0:
                progress(1000)
        writer.commit(mergetype=CLEAR) if procs == 1 else writer.commit()
    except BaseException:
        writer.cancel()
        raise
    progress(count % 1000)
    before_swap(generation)
    swap_in(base, generation)
    return BuildStats(count, time.perf_counter() - started, directory_size(generation), generation)


def apply_changes(
    base: str | Path, upserts: list[ProductDocument], deletes: Iterable[int], generation: Path | None = None
) -> None:
    """Adds or replaces the given products and removes the others, in one commit."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(generation)) if generation else ensure_index(base)[0]
    writer = ix.writer(timeout=WRITER_LOCK_TIMEOUT, delay=0.05)
    try:
        for product_id in deletes:
            writer.delete_by_term("id", str(product_id))
        for document in upserts:
            writer.update_document(**document.fields())
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
