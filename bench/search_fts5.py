"""The SQLite FTS5 baseline for the search benchmark: the same rows, the same query mix, no stemming, synonyms or
typo tolerance (FTS5's unicode61 tokenizer). Joins to the product table go FTS-first (CROSS JOIN): the other way
round SQLite runs one full-text lookup per product row."""

import sqlite3
from pathlib import Path

from marketplace.core.regions import REGION_CODES
from search_index import PRICE_BANDS
from search_index.analysis import words

REGION_NUMBER = {code: i + 1 for i, code in enumerate(REGION_CODES)}

BAND_CASE = "CASE " + " ".join(
    f"WHEN p.price < {high} THEN '{key}'" for key, _low, high in PRICE_BANDS if high is not None
) + f" ELSE '{PRICE_BANDS[-1][0]}' END"


def build(path: Path, documents) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE product (id INTEGER PRIMARY KEY, price INT, created INT, category_id INT, root_id INT,
                              region INT, halal INT, in_stock INT, name TEXT);
        CREATE VIRTUAL TABLE product_fts USING fts5(name, category, place, description, sku,
                              content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
        CREATE VIRTUAL TABLE product_vocab USING fts5vocab(product_fts, row);
        """
    )
    for d in documents:
        db.execute(
            "INSERT INTO product VALUES (?,?,?,?,?,?,?,?,?)",
            (d.product_id, d.price, int(d.created_at.timestamp()), d.category_id, d.category_root_id,
             REGION_NUMBER.get(d.region_code, 0), int(d.halal), int(d.in_stock), d.name),
        )
        db.execute(
            "INSERT INTO product_fts(rowid, name, category, place, description, sku) VALUES (?,?,?,?,?,?)",
            (d.product_id, d.name, d.category, f"{d.region_label} {d.koperasi} {d.pesantren}", d.description,
             " ".join(d.skus)),
        )
    db.commit()
    return db


def match_expression(text: str) -> str | None:
    quoted = [f'"{w}"' for w in words(text) if w.replace("-", "").isalnum()]
    return " ".join(quoted) if quoted else None


def search(db: sqlite3.Connection, text: str, *, regions=(), halal=False, sort=None, facets=False, limit=20):
    expression = match_expression(text)
    if expression is None:
        return 0, []
    where, params = ["product_fts MATCH ?"], [expression]
    if regions:
        where.append(f"p.region IN ({','.join('?' * len(regions))})")
        params += [REGION_NUMBER[r] for r in regions]
    if halal:
        where.append("p.halal = 1")
    base = f"FROM product_fts CROSS JOIN product p ON p.id = product_fts.rowid WHERE {' AND '.join(where)}"
    order = {"termurah": "p.in_stock DESC, p.price", None: "p.in_stock DESC, bm25(product_fts, 5, 2, 1.5, 1, 20)"}
    rows = db.execute(f"SELECT p.id, p.name {base} ORDER BY {order[sort]} LIMIT {limit}", params).fetchall()
    total = db.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    if facets:
        db.execute(f"SELECT p.root_id, count(*) {base} GROUP BY p.root_id", params).fetchall()
        db.execute(f"SELECT p.category_id, count(*) {base} GROUP BY p.category_id", params).fetchall()
        db.execute(f"SELECT p.region, count(*) {base} GROUP BY p.region", params).fetchall()
        db.execute(f"SELECT {BAND_CASE}, count(*) {base} GROUP BY 1", params).fetchall()
        db.execute(f"SELECT sum(p.halal), sum(p.in_stock) {base}", params).fetchone()
    return total, rows


def suggest(db: sqlite3.Connection, text: str, limit: int = 8, products: int = 4):
    typed = words(text)
    if not typed:
        return [], []
    prefix = typed[-1]
    completions = [row[0] for row in db.execute(
        "SELECT term FROM product_vocab WHERE term >= ? AND term < ? ORDER BY doc DESC LIMIT ?",
        (prefix, prefix + "\uffff", limit),
    )]
    lead = " ".join(f'"{w}"' for w in typed[:-1])
    expression = f'{lead} name : "{prefix}"*'.strip()
    found = db.execute(
        "SELECT rowid FROM product_fts WHERE product_fts MATCH ? ORDER BY rank LIMIT ?", (expression, products)
    ).fetchall()
    return completions, found
