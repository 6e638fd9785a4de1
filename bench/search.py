"""Search benchmark: Whoosh (our search_index) beside SQLite FTS5 on the same synthetic catalogue.

    .venv/bin/python bench/search.py [--products 100000] [--procs 2] [--queries 120]

Builds a deterministic catalogue (bench/catalogue.py), indexes it with `search_index` (the code `flask search
rebuild` runs) and into an FTS5 table, then runs the same fixed query mix through both: plain, filtered+faceted,
sorted by price, misspelt (fuzzy) and autocomplete. Each query class is run twice: "cold" is the first time this
process meets each query (new terms are read from disk, new words stemmed), "cached" is the same mix again.
Also measures opening the index, single-product updates (what the search worker does) and the reader refresh.
"""

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import search_fts5  # noqa: E402
from bench.catalogue import ADJECTIVES, generate  # noqa: E402
from marketplace.core.regions import REGIONS  # noqa: E402
from marketplace.demo import data  # noqa: E402
from search_index import SearchRequest  # noqa: E402
from search_index.engine import WhooshSearchEngine  # noqa: E402
from search_index.writer import apply_changes, build_index, directory_size  # noqa: E402


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return statistics.median(ordered), pick(0.95), pick(0.99)


def timed(function, items) -> list[float]:
    samples = []
    for item in items:
        started = time.perf_counter()
        function(item)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if rng.random() < 0.5 else word[:i] + word[i + 1:]


def query_mix(count: int) -> dict[str, list]:
    """Deterministic queries built from the catalogue's own words, `count` distinct ones per class."""
    rng = random.Random(7)
    bases = [b for bases, *_ in data.PRODUCTS.values() for b in bases]
    regions = [r for r in REGIONS]

    def text() -> str:
        base = rng.choice(bases).lower().split()
        shape = rng.random()
        if shape < 0.35:
            return base[0]
        if shape < 0.7:
            return " ".join(base[:2])
        if shape < 0.85:
            return f"{base[0]} {rng.choice(regions).name.lower()}"
        return f"{' '.join(base[:2])} {rng.choice(ADJECTIVES).split()[0].lower()}"

    def distinct(make) -> list:
        seen, out = set(), []
        while len(out) < count:
            item = make()
            key = repr(item)
            if key not in seen:
                seen.add(key)
                out.append(item)
        return out

    plain = distinct(text)
    faceted = distinct(lambda: (text(), tuple(r.code for r in rng.sample(regions, rng.randint(1, 3))),
                                rng.random() < 0.5))
    fuzzy = distinct(lambda: " ".join(typo(w, rng) if len(w) > 4 else w for w in text().split()))
    prefixes = distinct(lambda: (lambda t: t[: rng.randint(2, len(t))])(text()))
    return {"plain": plain, "faceted": faceted, "sorted": distinct(text), "fuzzy": fuzzy, "autocomplete": prefixes}


def whoosh_runners(engine: WhooshSearchEngine) -> dict:
    return {
        "plain": lambda q: engine.search(SearchRequest(text=q, per_page=20, facets=False)),
        "faceted": lambda q: engine.search(SearchRequest(text=q[0], region_codes=q[1], halal_only=q[2], per_page=20)),
        "sorted": lambda q: engine.search(SearchRequest(text=q, sort="termurah", per_page=20, facets=False)),
        "fuzzy": lambda q: engine.search(SearchRequest(text=q, per_page=20, facets=False)),
        "autocomplete": lambda q: engine.suggest(q),
    }


def fts_runners(db) -> dict:
    return {
        "plain": lambda q: search_fts5.search(db, q),
        "faceted": lambda q: search_fts5.search(db, q[0], regions=q[1], halal=q[2], facets=True),
        "sorted": lambda q: search_fts5.search(db, q, sort="termurah"),
        "fuzzy": lambda q: search_fts5.search(db, q),
        "autocomplete": lambda q: search_fts5.suggest(db, q),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--queries", type=int, default=120, help="distinct queries per class")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="opop-search-bench-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> None:
    started = time.perf_counter()
    documents = list(generate(args.products))
    print(f"catalogue: {len(documents):,} products generated in {time.perf_counter() - started:.1f} s")

    stats = build_index(work / "whoosh", documents, procs=args.procs)
    print(f"Whoosh build (procs={args.procs}): {stats.seconds:.1f} s, {stats.bytes / 1e6:.1f} MB")
    started = time.perf_counter()
    db = search_fts5.build(work / "fts.db", documents)
    fts_seconds = time.perf_counter() - started
    print(f"FTS5 build: {fts_seconds:.1f} s, {(work / 'fts.db').stat().st_size / 1e6:.1f} MB")

    engine = WhooshSearchEngine(work / "whoosh", refresh_interval=0.0)
    started = time.perf_counter()
    engine.search(SearchRequest(text="sambal", facets=False))
    opened = time.perf_counter() - started
    started = time.perf_counter()
    engine.suggest("sa")
    vocabulary = time.perf_counter() - started
    print(f"Whoosh open + first query: {opened * 1000:.0f} ms; first autocomplete (vocabulary): "
          f"{vocabulary * 1000:.0f} ms")

    mix = query_mix(args.queries)
    whoosh, fts = whoosh_runners(engine), fts_runners(db)
    rows = []
    for name, queries in mix.items():
        w_cold, w_cached = timed(whoosh[name], queries), timed(whoosh[name], queries)
        f_cold, f_cached = timed(fts[name], queries), timed(fts[name], queries)
        rows.append((name, percentiles(w_cold), percentiles(w_cached), percentiles(f_cold), percentiles(f_cached)))

    print(f"\nquery latency in ms, {args.queries} distinct queries per class (p50 / p95 / p99)")
    header = "| class | Whoosh cold | Whoosh cached | FTS5 cold | FTS5 cached | p95 Whoosh/FTS5 (cached) |"
    print(header)
    print("|" + "---|" * 6)
    fmt = lambda p: f"{p[0]:.1f} / {p[1]:.1f} / {p[2]:.1f}"  # noqa: E731
    for name, w_cold, w_cached, f_cold, f_cached in rows:
        ratio = w_cached[1] / f_cached[1] if f_cached[1] else float("nan")
        print(f"| {name} | {fmt(w_cold)} | {fmt(w_cached)} | {fmt(f_cold)} | {fmt(f_cached)} | {ratio:.1f}x |")

    found = sum(1 for q in mix["fuzzy"] if engine.search(SearchRequest(text=q, facets=False)).total)
    fts_found = sum(1 for q in mix["fuzzy"] if search_fts5.search(db, q)[0])
    print(f"\nmisspelt queries with results: Whoosh {found}/{len(mix['fuzzy'])}, FTS5 {fts_found}/{len(mix['fuzzy'])}")

    # What the search worker does: re-index one product (or a batch of 50) in one commit; then a reader refresh.
    update_one = timed(lambda d: apply_changes(work / "whoosh", [d], []), documents[:20])
    update_batch = timed(lambda i: apply_changes(work / "whoosh", documents[i:i + 50], []), range(100, 1100, 100))
    refresh = timed(lambda d: (apply_changes(work / "whoosh", [d], []), engine.search(
        SearchRequest(text="kopi", facets=False))), documents[2000:2010])
    print(f"update 1 product + commit p50/p95: {percentiles(update_one)[0]:.0f} / {percentiles(update_one)[1]:.0f} ms;"
          f" 50 products in one commit p50: {percentiles(update_batch)[0]:.0f} ms;"
          f" commit + first query after it p50: {percentiles(refresh)[0]:.0f} ms")
    print(f"index size after updates: {directory_size(engine.pool.state().generation) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
