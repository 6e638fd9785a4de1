"""Where the index lives on disk, and how a rebuilt index replaces the old one without search going down.

``<SEARCH_INDEX_DIR>/current`` is a symbolic link to one generation directory (``gen-<time>-<random>``). A rebuild
writes a new generation beside it and swaps the link with one atomic rename; readers notice the new target at
their next refresh. Older generations are removed once they are no longer the previous one.
"""

import gc
import os
import secrets
import shutil
import time
import warnings
from pathlib import Path

from whoosh import index as whoosh_index

from search_index.schema import build_schema, schema_matches
from search_index.whoosh_compat import IndexDamaged, IndexUnavailable, open_index

CURRENT = "current"
GENERATION_PREFIX = "gen-"


def current_generation(base: str | Path) -> Path | None:
    link = Path(base) / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    path = (Path(base) / target).resolve()
    return path if path.is_dir() else None


def new_generation(base: str | Path) -> Path:
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    path = base / f"{GENERATION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
    path.mkdir()
    whoosh_index.create_in(str(path), build_schema())
    return path


def swap_in(base: str | Path, generation: Path) -> None:
    """Points ``current`` at the generation atomically, then removes generations older than the previous one
    (a reader may still be finishing a query on the previous one)."""
    base = Path(base)
    previous = current_generation(base)
    temporary = base / f".{CURRENT}-{secrets.token_hex(4)}"
    os.symlink(generation.name, temporary)
    os.replace(temporary, base / CURRENT)
    keep = {generation.resolve(), previous.resolve() if previous else None}
    for child in base.iterdir():
        if child.name.startswith(GENERATION_PREFIX) and child.resolve() not in keep:
            shutil.rmtree(child, ignore_errors=True)


def open_current(base: str | Path):
    generation = current_generation(base)
    if generation is None:
        raise IndexUnavailable(f"no search index in {base}")
    problem = None
    with warnings.catch_warnings():
        # Whoosh leaves the file of an unreadable table of contents open; it is closed here, quietly.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = open_index(str(generation))
        except IndexDamaged as error:
            problem = str(error)
            gc.collect()
    if problem is not None:
        raise IndexUnavailable(f"search index in {generation} is unreadable: {problem}")
    if not schema_matches(ix.schema):
        # An index written by an earlier version of the schema: answering from it would filter wrongly.
        raise IndexUnavailable(f"search index in {generation} was built with another schema")
    return ix, generation


def ensure_index(base: str | Path):
    """Opens the current index, creating an empty one first if there is none (a fresh install, a test)."""
    if current_generation(base) is None:
        swap_in(base, new_generation(base))
    return open_current(base)
