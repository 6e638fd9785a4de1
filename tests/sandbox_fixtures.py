"""Fixtures for tests that talk to the partner sandboxes: each sandbox runs once per test session as a real
process on a free port with its own SQLite file, and is reset (through its control API) before every test.
Issue 11's sync tests reuse `shopee_sandbox`, `tiktok_sandbox` and `push_receiver`; issue 15's payment tests
`midtrans_sandbox`."""

import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from sandboxes import credentials
from tests.sandbox_clients import MidtransSandbox, ShopeeSandbox, TikTokSandbox

ROOT = Path(__file__).resolve().parent.parent
# Fast retries and no random duplicates, so that tests are quick and deterministic; tests turn faults on.
TEST_FLAGS = ["--push-retry-base", "0.2", "--push-timeout", "3", "--duplicate-push-rate", "0"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SandboxProcess:
    def __init__(self, platform: str, workdir: Path, extra: list[str] = ()):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{platform}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", f"sandboxes.{platform}", "--port", str(self.port),
             "--db", str(workdir / f"{platform}.db"), *TEST_FLAGS, *extra],
            cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(f"{self.base_url}/_sandbox/health", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"sandbox did not start: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def sandbox_http():
    with requests.Session() as session:
        yield session


@pytest.fixture(scope="session")
def shopee_server(tmp_path_factory, sandbox_http):
    process = SandboxProcess("shopee", tmp_path_factory.mktemp("shopee"))
    yield ShopeeSandbox(process.base_url, sandbox_http, credentials.SHOPEE_PARTNER_ID,
                        credentials.SHOPEE_PARTNER_KEY)
    process.stop()


@pytest.fixture(scope="session")
def tiktok_server(tmp_path_factory, sandbox_http):
    process = SandboxProcess("tiktok", tmp_path_factory.mktemp("tiktok"))
    yield TikTokSandbox(process.base_url, sandbox_http, credentials.TIKTOK_APP_KEY, credentials.TIKTOK_APP_SECRET)
    process.stop()


@pytest.fixture(scope="session")
def midtrans_server(tmp_path_factory, sandbox_http):
    process = SandboxProcess("midtrans", tmp_path_factory.mktemp("midtrans"))
    yield MidtransSandbox(process.base_url, sandbox_http, credentials.MIDTRANS_SERVER_KEY)
    process.stop()


@pytest.fixture
def shopee_sandbox(shopee_server) -> ShopeeSandbox:
    """The Shopee sandbox, empty, with default settings and no faults."""
    shopee_server.reset()
    yield shopee_server
    shopee_server.reset()


@pytest.fixture
def tiktok_sandbox(tiktok_server) -> TikTokSandbox:
    tiktok_server.reset()
    yield tiktok_server
    tiktok_server.reset()


@pytest.fixture
def midtrans_sandbox(midtrans_server) -> MidtransSandbox:
    """The Midtrans sandbox, empty, with default settings and no faults (notifications go nowhere until a test
    registers a URL with `PUT /_sandbox/push-callback` or charges with `X-Override-Notification`)."""
    midtrans_server.reset()
    yield midtrans_server
    midtrans_server.reset()


class PushReceiver:
    """A callback URL in the test process: records each push (headers, raw body) and answers with the next
    status of `statuses` (200 once they run out), after `delay` seconds."""

    def __init__(self):
        self.received: list[dict] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._arrived:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.received.append({"path": self.path, "headers": dict(self.headers), "raw": raw,
                                              "json": json.loads(raw), "status": status, "at": time.monotonic()})
                    receiver._arrived.notify_all()
                time.sleep(receiver.delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def wait_for(self, count: int, seconds: float = 10) -> list[dict]:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.received) >= count, timeout=seconds)
            return list(self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


@pytest.fixture
def push_receiver():
    receiver = PushReceiver()
    yield receiver
    receiver.close()
