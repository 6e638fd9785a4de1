"""Push notifications: written to the store when an order changes, sent by one background thread per process.
A push not answered 2xx within `push_timeout` is retried with exponential backoff; after `push_max_attempts` it
is kept as lost (Shopee lets the partner fetch those later) or given up (TikTok)."""

import json
import threading
import time

import requests

from sandboxes.common.errors import BadInput

PAIR_HOLD_SECONDS = 2.0


class PushWorker:
    def __init__(self, sb):
        self.sb = sb
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._http = requests.Session()
        self._thread = threading.Thread(target=self._run, name="push-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)

    def order_changed(self, shop: dict, order: dict) -> None:
        notification_id, body = self.sb.platform.push_message(shop, order)
        self.enqueue(shop["id"], notification_id, body)

    def enqueue(self, shop_id: int | None, notification_id: str, body: dict, url: str | None = None) -> None:
        """`url`: this push's own target (Midtrans' X-Override-Notification); None for the registered callback."""
        faults = self.sb.faults
        now = time.time()
        state = "pending"
        if faults.roll("drop_push_rate"):
            state = "lost"
        elif faults.get("reorder_pushes"):
            state = "held"
        with self.sb.store.tx() as conn:
            held = conn.execute("SELECT id FROM pushes WHERE state = 'held' ORDER BY id LIMIT 1").fetchone()
            if state == "held" and held:
                state = "pending"  # the newer one goes first, the held one right after it
                conn.execute("UPDATE pushes SET state = 'pending', next_attempt_at = ? WHERE id = ?",
                             (now + 0.05, held["id"]))
            conn.execute("INSERT INTO pushes (shop_id, notification_id, body, state, next_attempt_at, created_at, url) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (shop_id, notification_id, json.dumps(body, separators=(",", ":")), state, now, now, url))
        self._wake.set()

    def _due(self) -> list:
        now = time.time()
        with self.sb.store.tx() as conn:
            conn.execute("UPDATE pushes SET state = 'pending' WHERE state = 'held' AND created_at < ?",
                         (now - PAIR_HOLD_SECONDS,))
            return conn.execute("SELECT * FROM pushes WHERE state = 'pending' AND next_attempt_at <= ? "
                                "ORDER BY next_attempt_at, id LIMIT 20", (now,)).fetchall()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(0.1)
            self._wake.clear()
            try:
                for push in self._due():
                    if self._stop.is_set():
                        return
                    self._deliver(push)
            except Exception as error:  # the worker must outlive a bad row or a closed store
                print(f"push worker: {error!r}", flush=True)
                time.sleep(0.5)

    def _deliver(self, push) -> None:
        settings = self.sb.settings
        url = push["url"] or self.sb.store.setting("push_url")
        error = None
        if not url:
            error = "no callback URL registered"
        else:
            headers = {"Content-Type": "application/json"} | self.sb.platform.push_headers(url, push["body"])
            try:
                response = self._http.post(url, data=push["body"].encode(), headers=headers,
                                           timeout=settings.push_timeout)
                if not 200 <= response.status_code < 300:
                    error = f"HTTP {response.status_code}"
            except requests.RequestException as exc:
                error = type(exc).__name__
        attempts = push["attempts"] + 1
        with self.sb.store.tx() as conn:
            if error is None:
                conn.execute("UPDATE pushes SET state = 'delivered', attempts = ?, last_error = NULL WHERE id = ?",
                             (attempts, push["id"]))
            elif attempts >= settings.push_max_attempts:
                state = "lost" if self.sb.platform.keeps_lost_pushes else "failed"
                conn.execute("UPDATE pushes SET state = ?, attempts = ?, last_error = ? WHERE id = ?",
                             (state, attempts, error, push["id"]))
            else:
                conn.execute("UPDATE pushes SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
                             (attempts, error, time.time() + settings.push_retry_base * 2 ** (attempts - 1),
                              push["id"]))
        if error is None and not push["is_duplicate"] and self.sb.faults.roll("duplicate_push_rate"):
            with self.sb.store.tx() as conn:
                conn.execute("INSERT INTO pushes (shop_id, notification_id, body, state, next_attempt_at, "
                             "created_at, is_duplicate, url) VALUES (?, ?, ?, 'pending', ?, ?, 1, ?)",
                             (push["shop_id"], push["notification_id"], push["body"], time.time() + 0.05,
                              time.time(), push["url"]))


def list_pushes(sb, state: str | None = None) -> list[dict]:
    if state is not None and state not in ("pending", "held", "delivered", "lost", "failed", "consumed"):
        raise BadInput("state must be one of pending, held, delivered, lost, failed, consumed")
    sql = "SELECT * FROM pushes" + (" WHERE state = ?" if state else "") + " ORDER BY id"
    return [dict(row) | {"body": json.loads(row["body"])} for row in sb.store.all(sql, (state,) if state else ())]
