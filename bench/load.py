"""Load test of a real `accord serve`: 40 clients reading and writing, then throughput ratios.

1. Builds a database (SQLite in --data-dir, or the PostgreSQL database of ACCORD_DATABASE_URL),
   migrates it, loads the demo workspace, makes an editor and a viewer and an editor token.
2. Serves it with `accord serve` (gunicorn, --workers) under bench.settings, which adds the
   baseline views of bench/baseline.py to Accord's URLs.
3. Mixed phase: --clients clients for --duration seconds. Each loops: mostly reads (members API,
   organization page, lists, a partnership), and one time in --write-share a write: GET a "hot"
   partnership and PATCH its notes with the version read and a marker unique to that write. A
   409 is the expected answer to a stale version and is counted, not an error.
4. Checks: no 5xx, no status but 200 and 409, no connection error, and no lost update: every
   marker whose PATCH got a 200 is in the notes at the end, and each hot record's version is its
   first version plus the number of 200 PATCHes.
5. Throughput with wrk: the members API and the organization page of UN and the first page of
   the organization list, each against its bare baseline view, alternating, as requests per
   second and a ratio.

Exit status 1 when a check fails. `--append-results bench/RESULTS.md` appends a section.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
EDITOR, VIEWER, PASSWORD = "load-editor", "load-viewer", "load-test-password-1"
HOT_RECORDS = 5

# What throughput compares: (name, Accord's URL, the baseline's URL).
PAIRS = [
    ("members API (UN)", "/api/v1/organizations/UN/members", "/bench/api/organizations/UN/members"),
    ("organization page (UN)", "/organizations/UN/", "/bench/organizations/UN/"),
    ("organization list, first page", "/organizations/", "/bench/organizations/"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`accord serve` in a process group of its own, stopped with the group."""

    def __init__(self, args):
        self.args = args
        self.data_dir = Path(args.data_dir).resolve()
        self.port = args.port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        self.env["ACCORD_DATA_DIR"] = str(self.data_dir)
        self.env["PYTHONPATH"] = str(ROOT)
        self.env.setdefault("ACCORD_SECRET_KEY", "load-test-secret-key-load-test-secret-key")
        self.process = None

    @property
    def database(self) -> str:
        url = os.environ.get("ACCORD_DATABASE_URL")
        return "PostgreSQL" if url else "SQLite"

    def accord(self, *argv, stdin=None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "accord.cli", *argv],
            env=self.env,
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise SystemExit(f"accord {' '.join(argv)} failed:\n{result.stderr}")
        return result.stdout

    def prepare(self) -> str:
        if self.args.reset:
            self.reset()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.accord("migrate", "-v0")
        if not self.args.existing:
            self.accord("load-demo")
        for name, role in ((EDITOR, "editor"), (VIEWER, "viewer")):
            if not self.user_exists(name):
                self.accord(
                    "createuser", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n"
                )
        return self.accord("token", "create", EDITOR).strip().splitlines()[-1]

    def user_exists(self, name) -> bool:
        """Whether the user is there (a second run); its old tokens are revoked on the way."""
        result = subprocess.run(
            [sys.executable, "-m", "accord.cli", "token", "revoke", name],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        return result.returncode == 0

    def reset(self) -> None:
        url = os.environ.get("ACCORD_DATABASE_URL")
        if url:
            import psycopg

            base, name = url.rsplit("/", 1)
            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{name}"')
        elif self.data_dir.exists():
            shutil.rmtree(self.data_dir)

    def start(self) -> None:
        self.log = open(self.data_dir / "serve.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accord.cli", "serve", "--port", str(self.port)]
            + ["--workers", str(self.args.workers)],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit((self.data_dir / "serve.log").read_text())
            try:
                if httpx.get(f"{self.base}/api/v1/countries", timeout=2).status_code == 401:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise SystemExit("accord serve did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process is not None:
            self.log.close()


def login(base: str, username: str) -> str:
    """A session cookie, through the login form as a browser gets it."""
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        page = client.get("/login/")
        csrf = client.cookies["csrftoken"]
        answer = client.post(
            "/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
            headers={"Referer": f"{base}/login/"},
        )
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise SystemExit(f"login as {username} failed: {page.status_code} {answer.status_code}")
        return client.cookies["sessionid"]


class Mixed:
    """The mixed phase: what every client did, and what the server acknowledged."""

    def __init__(self, base, token, session, hot, args):
        self.base, self.token, self.session, self.hot, self.args = base, token, session, hot, args
        self.statuses = Counter()
        self.errors = []  # 5xx, other unexpected statuses and connection errors
        self.latencies = []
        self.acknowledged = {pk: [] for pk in hot}  # pk -> markers whose PATCH got 200
        self.conflicts = 0

    async def call(self, client, method, url, **kwargs):
        started = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.errors.append(f"{method} {url}: {type(exc).__name__} {exc}")
            return None
        self.latencies.append(time.perf_counter() - started)
        self.statuses[response.status_code] += 1
        # 409 answers a stale version; any other status than 200 is a failure of the run.
        if response.status_code not in (200, 409):
            self.errors.append(f"{method} {url}: {response.status_code} {response.text[:200]}")
        return response

    async def client(self, number: int, deadline: float) -> None:
        rng = random.Random(number)
        api = {"Authorization": f"Bearer {self.token}"}
        async with httpx.AsyncClient(base_url=self.base, timeout=60) as client:
            client.cookies.set("sessionid", self.session)
            writes = 0
            while time.monotonic() < deadline:
                if rng.random() < self.args.write_share:
                    pk = rng.choice(self.hot)
                    read = await self.call(client, "GET", f"/api/v1/partnerships/{pk}", headers=api)
                    if read is None or read.status_code != 200:
                        continue
                    record = read.json()
                    marker = f"[c{number}w{writes}]"
                    writes += 1
                    answer = await self.call(
                        client,
                        "PATCH",
                        f"/api/v1/partnerships/{pk}",
                        headers=api,
                        json={"version": record["version"], "notes": record["notes"] + marker},
                    )
                    if answer is not None and answer.status_code == 200:
                        self.acknowledged[pk].append(marker)
                    elif answer is not None and answer.status_code == 409:
                        self.conflicts += 1
                    continue
                choice = rng.random()
                if choice < 0.35:
                    await self.call(
                        client, "GET", "/api/v1/organizations/UN/members?limit=200", headers=api
                    )
                elif choice < 0.55:
                    await self.call(client, "GET", "/organizations/UN/")
                elif choice < 0.75:
                    await self.call(client, "GET", "/api/v1/organizations?limit=50", headers=api)
                elif choice < 0.9:
                    await self.call(client, "GET", f"/api/v1/partnerships/{rng.choice(self.hot)}",
                                    headers=api)  # fmt: skip
                else:
                    await self.call(client, "GET", "/organizations/")

    async def run(self) -> float:
        started = time.monotonic()
        deadline = started + self.args.duration
        await asyncio.gather(*(self.client(n, deadline) for n in range(self.args.clients)))
        return time.monotonic() - started


def hot_partnerships(base, token) -> dict[int, dict]:
    api = {"Authorization": f"Bearer {token}"}
    page = httpx.get(f"{base}/api/v1/partnerships?limit={HOT_RECORDS}", headers=api, timeout=30)
    page.raise_for_status()
    return {item["id"]: item for item in page.json()["items"]}


def lost_updates(base, token, before: dict, acknowledged: dict) -> list[str]:
    problems = []
    api = {"Authorization": f"Bearer {token}"}
    for pk, first in before.items():
        now = httpx.get(f"{base}/api/v1/partnerships/{pk}", headers=api, timeout=30).json()
        missing = [marker for marker in acknowledged[pk] if marker not in now["notes"]]
        if missing:
            problems.append(f"partnership {pk}: {len(missing)} acknowledged markers missing")
        expected = first["version"] + len(acknowledged[pk])
        if now["version"] != expected:
            problems.append(f"partnership {pk}: version {now['version']}, expected {expected}")
    return problems


def wrk(base, path, headers, seconds, connections) -> tuple[float, int]:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run(argv + [base + path], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    failed = int(bad.group(1)) if bad else 0
    if errors:
        failed += sum(int(n) for n in re.findall(r"\d+", errors.group(0)))
    return rate, failed


def throughput(base, session, args) -> list[tuple[str, float, float, int]]:
    headers = {"Cookie": f"sessionid={session}"}
    for _, accord_url, baseline_url in PAIRS:
        for url in (accord_url, baseline_url):
            answer = httpx.get(base + url, headers=headers, timeout=30)
            if answer.status_code != 200:
                raise SystemExit(f"{url} answered {answer.status_code}")
    results = []
    for name, accord_url, baseline_url in PAIRS:
        accord_rates, baseline_rates, failed = [], [], 0
        for _ in range(args.rounds):
            # Alternate, so that noise on a shared machine hits both.
            for url, rates in ((accord_url, accord_rates), (baseline_url, baseline_rates)):
                rate, bad = wrk(base, url, headers, args.wrk_seconds, args.wrk_connections)
                rates.append(rate)
                failed += bad
        results.append((name, statistics.median(accord_rates), statistics.median(baseline_rates),
                        failed))  # fmt: skip
    return results


def report(server, args, mixed, elapsed, problems, rates) -> str:
    latencies = sorted(mixed.latencies)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    total = sum(mixed.statuses.values())
    writes = sum(len(v) for v in mixed.acknowledged.values())
    lines = [
        f"### {server.database}, {datetime.date.today().isoformat()}",
        "",
        f"`accord serve --workers {args.workers}` (gunicorn, 4 threads per worker), "
        + ("the database as it was (no demo workspace)" if args.existing else "demo workspace")
        + f", {os.cpu_count()} CPUs, Python {platform.python_version()}; client and "
        "server on the same machine.",
        "",
        f"Mixed phase: {args.clients} clients for {elapsed:.0f} s, {args.write_share:.0%} of loops "
        f"a GET + PATCH of one of {len(mixed.hot)} partnerships.",
        "",
        "| requests | req/s | p50 | p95 | p99 | 200 PATCHes | 409 conflicts | errors "
        "| lost updates |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {total} | {total / elapsed:.0f} | {pct(0.5):.0f} ms | {pct(0.95):.0f} ms | "
        f"{pct(0.99):.0f} ms | {writes} | {mixed.conflicts} | {len(mixed.errors)} | "
        f"{len(problems)} |",
        "",
        f"Statuses: {dict(sorted(mixed.statuses.items()))}.",
        "",
        f"Throughput (wrk, {args.wrk_connections} connections, {args.rounds} × "
        f"{args.wrk_seconds} s each, median), Accord against its bare baseline view "
        "(bench/baseline.py):",
        "",
        "| case | Accord req/s | baseline req/s | Accord / baseline | failed |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, accord_rate, baseline_rate, failed in rates:
        lines.append(
            f"| {name} | {accord_rate:.0f} | {baseline_rate:.0f} | "
            f"{accord_rate / baseline_rate:.2f} | {failed} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(ROOT / "bench" / "out" / "load"))
    parser.add_argument("--reset", action="store_true", help="start from an empty database")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="serve the database as it is, without the demo workspace (e.g. a copy of the "
        "bench/generate.py database: the writes change it)",
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--write-share", type=float, default=0.2)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--append-results", metavar="FILE", help="e.g. bench/RESULTS.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    server = Server(args)
    token = server.prepare()
    server.start()
    try:
        session = login(server.base, VIEWER)
        hot = hot_partnerships(server.base, token)
        mixed = Mixed(server.base, token, session, list(hot), args)
        elapsed = asyncio.run(mixed.run())
        problems = lost_updates(server.base, token, hot, mixed.acknowledged)
        rates = throughput(server.base, session, args)
    finally:
        server.stop()

    text = report(server, args, mixed, elapsed, problems, rates)
    print(text)
    for line in (mixed.errors[:20] + problems)[:40]:
        print("  ", line)
    if args.append_results:
        with open(args.append_results, "a") as out:
            out.write("\n" + text)
    failed = mixed.errors or problems or any(f for *_, f in rates)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
