"""Plumbing for bench/soak.py: timing and counting requests, the processes it starts, their memory, the report."""

import os
import subprocess
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: dict[str, list[str]] = defaultdict(list)

    def add(self, label: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times[label].append(seconds)
            if not ok:
                self.errors[label] += 1
                if len(self.samples[label]) < 3:
                    self.samples[label].append(detail[:160])


def timed(stats: Stats, label: str, call, *args, ok=lambda r: r.status_code < 400, **kwargs):
    """One request, timed and counted: an exception or an answer ``ok`` refuses is an error."""
    kwargs.setdefault("timeout", 30)
    started = time.monotonic()
    try:
        answer = call(*args, **kwargs)
    except requests.RequestException as error:
        stats.add(label, time.monotonic() - started, False, repr(error))
        return None
    good = ok(answer)
    stats.add(label, time.monotonic() - started, good, f"{answer.status_code} {answer.url}")
    return answer


class System:
    """Every process the soak starts, stopped in reverse order by ``stop``."""

    def __init__(self, instance: Path, env: dict):
        self.instance, self.env, self.procs = instance, env, {}

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = (self.instance / f"{name}.log").open("w")
        self.procs[name] = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        return self.procs[name]

    def run(self, argv: list[str]) -> str:
        return subprocess.run(argv, cwd=ROOT, env=self.env, capture_output=True, text=True, check=True,
                              timeout=180).stdout.strip()

    def stop(self) -> None:
        for proc in reversed(list(self.procs.values())):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, 15)
                    proc.wait(timeout=15)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    os.killpg(proc.pid, 9)
                    proc.wait()


def rss_mb(root_pid: int) -> float:
    """Resident memory of a process and all its descendants (MB), from /proc."""
    children = defaultdict(list)
    rss = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children[int(fields[1])].append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 2**20


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def environment(url: str, instance: Path, web: str, stripe_port: int, sandboxes: dict, redis_url: str) -> dict:
    prefix = f"opop-soak-{uuid.uuid4().hex[:8]}:"
    return {**os.environ, "OPOP_CONFIG": "default", "OPOP_INSTANCE_DIR": str(instance), "DATABASE_URL": url,
            "SECRET_KEY": "soak-" + "s" * 40, "CELERY_BROKER_URL": redis_url, "CELERY_RESULT_BACKEND": redis_url,
            "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix,
            "SEARCH_INDEX_DIR": str(instance / "search"), "MEDIA_DIR": str(instance / "media"),
            "MAIL_BACKEND": "file", "MAIL_FILE_PATH": str(instance / "mail"), "PUBLIC_BASE_URL": web,
            "CHANNEL_WEBHOOK_BASE_URL": web, "STRIPE_API_BASE": f"http://127.0.0.1:{stripe_port}",
            "STRIPE_JS_URL": f"http://127.0.0.1:{stripe_port}/js.stripe.com/v3/",
            "SHOPEE_BASE_URL": sandboxes["shopee"].base_url, "TIKTOK_BASE_URL": sandboxes["tiktok"].base_url,
            "CHANNEL_PULL_POLL_SECONDS": "30", "CHANNEL_PUSH_SWEEP_SECONDS": "15"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def report(stats: Stats, seconds: float, memory: list, fault_log: list) -> None:
    total = sum(len(v) for v in stats.times.values())
    errors = sum(stats.errors.values())
    print(f"\nrequests: {total} in {seconds:.0f} s ({total / seconds:.1f}/s), errors {errors} "
          f"({errors / max(1, total):.2%}); load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'endpoint':28} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for label in sorted(stats.times):
        times = stats.times[label]
        print(f"{label:28} {len(times):6d} {stats.errors[label]:6d} {pct(times, .5):8.0f} {pct(times, .99):8.0f}")
    for label, samples in stats.samples.items():
        print(f"  e.g. {label}: {' | '.join(samples)}")
    print("\nfaults (both sandboxes):\n  " + "\n  ".join(fault_log))
    names = list(memory[0][1]) if memory else []
    print("\nover time: RSS MB (process and its children) and messages waiting per Celery queue")
    print("  ".join(f"{n.removeprefix('queue '):>13}" for n in ["t s", *names]))
    for at, values in memory:
        print("  ".join(f"{v:13.0f}" for v in [at, *(values[n] for n in names)]))
