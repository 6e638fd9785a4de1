"""One SQLite file per sandbox process. A single connection behind a lock: the sandboxes serve a handful of clients,
and one writer at a time keeps every rule (single-use codes, stock, cursors) free of races."""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SCHEMA = """
CREATE TABLE IF NOT EXISTS shops (
    id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, cipher TEXT NOT NULL,
    rate_limit REAL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS products (
    id INTEGER PRIMARY KEY, shop_id INTEGER NOT NULL REFERENCES shops(id), name TEXT NOT NULL, sku TEXT,
    has_variants INTEGER NOT NULL, created_at INTEGER NOT NULL, update_time INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS variants (
    id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL REFERENCES products(id), shop_id INTEGER NOT NULL,
    name TEXT NOT NULL, sku TEXT, price INTEGER NOT NULL, stock INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY, shop_id INTEGER NOT NULL REFERENCES shops(id), ext_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL, create_time INTEGER NOT NULL, update_time INTEGER NOT NULL, cancel_reason TEXT);
CREATE INDEX IF NOT EXISTS orders_shop_create ON orders (shop_id, create_time, id);
CREATE INDEX IF NOT EXISTS orders_shop_update ON orders (shop_id, update_time, id);
CREATE TABLE IF NOT EXISTS order_lines (
    id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), variant_id INTEGER NOT NULL,
    quantity INTEGER NOT NULL, price INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS auth_codes (
    code TEXT PRIMARY KEY, shop_id INTEGER NOT NULL, expires_at REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, kind TEXT NOT NULL, shop_id INTEGER NOT NULL, expires_at REAL NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS pushes (
    id INTEGER PRIMARY KEY, shop_id INTEGER, notification_id TEXT NOT NULL, body TEXT NOT NULL,
    state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL NOT NULL,
    last_error TEXT, created_at REAL NOT NULL, is_duplicate INTEGER NOT NULL DEFAULT 0, url TEXT);
CREATE INDEX IF NOT EXISTS pushes_due ON pushes (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY, ts REAL NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, api TEXT NOT NULL,
    shop TEXT, status INTEGER NOT NULL, error TEXT, duration_ms REAL NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
TABLES = ("order_lines", "orders", "variants", "products", "auth_codes", "tokens", "pushes", "requests",
          "settings", "shops")


class Store:
    def __init__(self, path: str, schema: str = "", tables: tuple[str, ...] = ()):
        """`schema` and `tables`: a platform's own tables (created here, emptied by `reset` before the common ones)."""
        self._tables = (*tables, *TABLES)
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(SCHEMA + schema)
            columns = {row["name"] for row in self._conn.execute("PRAGMA table_info(orders)")}
            if "cancel_reason" not in columns:  # a sandbox file made before seller cancels existed
                self._conn.execute("ALTER TABLE orders ADD COLUMN cancel_reason TEXT")
            if "url" not in {row["name"] for row in self._conn.execute("PRAGMA table_info(pushes)")}:
                self._conn.execute("ALTER TABLE pushes ADD COLUMN url TEXT")  # a file made before per-push URLs

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction; nested calls join the outer one."""
        with self._lock:
            if self._conn.in_transaction:
                yield self._conn
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def one(self, sql: str, args=()) -> sqlite3.Row | None:
        with self._lock:
            return self._conn.execute(sql, args).fetchone()

    def all(self, sql: str, args=()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.one("SELECT value FROM settings WHERE key = ?", (key,))
        return row["value"] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.tx() as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def reset(self) -> None:
        with self.tx() as conn:
            for table in self._tables:
                conn.execute(f"DELETE FROM {table}")  # noqa: S608  (fixed table names)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
