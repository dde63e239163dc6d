"""kill -9 during a write burst leaves no half-written record.

`accord serve` (gunicorn, the production settings) runs on a database of its own: a SQLite file
in a temporary ACCORD_DATA_DIR, and, when the suite runs on PostgreSQL, a database created for
the test next to the suite's. Twenty clients create and change partnerships (a row, its history
entry and its many-to-many links) and memberships through the API; in the middle of the burst
the whole server, master and workers, gets SIGKILL. Then the database is read directly: every
row has its history, the version equals the number of history entries, the links of every
partnership are those of its last history entry, every write the server acknowledged is there,
and SQLite's integrity and foreign key checks pass.
"""

import datetime
import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

WRITERS = 20
BURST_SECONDS = 4.0
ORGANIZATIONS = 30
DOCUMENTS = 6
COUNTRIES = ["AUT", "FRA", "DEU", "ITA", "ESP", "POL", "RUS", "CHN", "KAZ", "USA", "CAN", "JPN"]

# Tables whose rows are versioned and written with one history entry per change.
VERSIONED = ["organization", "frameworkdocument", "partnership", "membership"]
# Many-to-many links kept in the history entries: (table, link table, target column).
LINKED = [
    ("partnership", "partnership_basis", "frameworkdocument_id"),
    ("partnership", "partnership_shared_with", "organization_id"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_url() -> str | None:
    url = os.environ.get("ACCORD_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class Server:
    """`accord serve` in its own process group, so that one SIGKILL hits master and workers."""

    def __init__(self, env: dict, data_dir: Path):
        self.env = env
        self.data_dir = data_dir
        self.port = free_port()
        self.process = None

    def accord(self, *args, stdin: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "accord.cli", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self) -> None:
        self.log = open(self.data_dir / "serve.log", "w")  # noqa: SIM115 (closed in kill)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accord.cli", "serve", "--port", str(self.port)]
            + ["--workers", "3"],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.data_dir / "serve.log").read_text()
            try:
                status, _ = http_call(self.port, "GET", "/api/v1/countries/AUT", token=None)
                if status == 401:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("accord serve did not answer within 60 s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
        # Workers orphaned by the master's death are in the same group: make sure they are gone.
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.log.close()


def http_call(port, method, path, token, body=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        if response.getheader("Content-Type", "").startswith("application/json"):
            return response.status, json.loads(raw)
        return response.status, raw.decode(errors="replace")
    finally:
        connection.close()


@pytest.fixture
def server(tmp_path):
    """`accord serve` on a database of its own, of the engine the suite runs on.

    `make test` on SQLite crashes a SQLite server; with ACCORD_DATABASE_URL on PostgreSQL (as
    CI's second run) a PostgreSQL one, in a database `<test database>_crash`.
    """
    kind = "postgresql" if postgres_url() is not None else "sqlite"
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "accord.settings.production"
    env["ACCORD_DATA_DIR"] = str(tmp_path)
    env["ACCORD_SECRET_KEY"] = "crash-test-secret-key-crash-test-secret-key"
    for name in ("ACCORD_DEBUG", "ACCORD_SSL_REDIRECT", "ACCORD_REQUIRE_2FA", "ACCORD_REDIS_URL"):
        env.pop(name, None)
    pg_database = None
    if kind == "sqlite":
        env.pop("ACCORD_DATABASE_URL", None)
    else:
        pg_database = recreate_postgres_database(postgres_url())
        env["ACCORD_DATABASE_URL"] = pg_database["url"]
    server = Server(env, tmp_path)
    try:
        server.accord("migrate", "-v0")
        server.accord(
            "createuser", "crash-editor", "--role", "editor", "--password-stdin",
            stdin="a-long-crash-password\n",
        )  # fmt: skip
        server.token = server.accord("token", "create", "crash-editor").strip().splitlines()[-1]
        server.kind = kind
        server.pg = pg_database
        server.start()
        yield server
    finally:
        server.kill()
        if pg_database is not None:
            drop_postgres_database(pg_database)


def recreate_postgres_database(url: str) -> dict:
    import psycopg

    base = url.rsplit("/", 1)
    name = f"{base[1].split('?')[0]}_crash"
    admin = psycopg.connect(f"{base[0]}/postgres", autocommit=True)
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return {"url": f"{base[0]}/{name}", "admin": f"{base[0]}/postgres", "name": name}


def drop_postgres_database(database: dict) -> None:
    import psycopg

    with psycopg.connect(database["admin"], autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database["name"]}" WITH (FORCE)')


def server_log(server) -> str:
    return (server.data_dir / "serve.log").read_text()[-5000:]


def seed(server) -> tuple[list[str], list[str]]:
    acronyms = [f"ORG{i:02d}" for i in range(ORGANIZATIONS)]
    for acronym in acronyms:
        status, body = http_call(
            server.port,
            "POST",
            "/api/v1/organizations",
            server.token,
            {"acronym": acronym, "name": f"Organization {acronym}", "kind": "regional"},
        )
        assert status == 201, (body, server_log(server))
    keys = [f"doc-{i}" for i in range(DOCUMENTS)]
    for i, key in enumerate(keys):
        status, body = http_call(
            server.port,
            "POST",
            "/api/v1/documents",
            server.token,
            {"key": key, "title": f"Document {i}", "year": 2000 + i, "kind": "memorandum"},
        )
        assert status == 201, (body, server_log(server))
    return acronyms, keys


class Burst:
    """Twenty writers; what the server acknowledged is kept to be checked after the crash."""

    def __init__(self, server, acronyms, keys):
        self.server = server
        self.acronyms = acronyms
        self.keys = keys
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged = []  # (table, id, version) of every 200/201
        self.statuses = {}
        self.failures = []  # 5xx before the kill
        self.errors_after_kill = 0
        self.in_flight = 0
        self.in_flight_at_kill = None
        self.killed = threading.Event()

    def send(self, *args):
        with self.lock:
            self.in_flight += 1
        try:
            return http_call(*args)
        finally:
            with self.lock:
                self.in_flight -= 1

    def record(self, status, body, table):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status in (200, 201):
                self.acknowledged.append((table, body["id"], body["version"]))
            elif status >= 500 and not self.killed.is_set():
                self.failures.append((status, body))

    def writer(self, seed: int) -> None:
        rng = random.Random(seed)
        port, token = self.server.port, self.server.token
        while not self.stop.is_set():
            try:
                choice = rng.random()
                if choice < 0.35:
                    a, b = rng.sample(self.acronyms, 2)
                    body = {
                        "organization": a,
                        "partner": b,
                        "type": "strategic",
                        "basis": rng.sample(self.keys, rng.randint(0, 3)),
                        "shared_with": rng.sample(self.acronyms, rng.randint(0, 3)),
                        "notes": f"created by writer {seed}",
                    }
                    status, out = self.send(port, "POST", "/api/v1/partnerships", token, body)
                    self.record(status, out, "partnership")
                elif choice < 0.75:
                    status, page = self.send(
                        port, "GET", f"/api/v1/partnerships?limit=20&offset={rng.randint(0, 20)}",
                        token,
                    )  # fmt: skip
                    if status != 200 or not page["items"]:
                        continue
                    item = rng.choice(page["items"])
                    body = {
                        "version": item["version"],
                        "basis": rng.sample(self.keys, rng.randint(0, 3)),
                        "shared_with": rng.sample(self.acronyms, rng.randint(0, 2)),
                        "notes": item["notes"][-200:] + f" w{seed}",
                    }
                    status, out = self.send(
                        port, "PATCH", f"/api/v1/partnerships/{item['id']}", token, body
                    )
                    self.record(status, out, "partnership")
                else:
                    start = datetime.date(1950, 1, 1) + datetime.timedelta(
                        days=rng.randint(0, 25000)
                    )
                    body = {
                        "organization": rng.choice(self.acronyms),
                        "country": rng.choice(COUNTRIES),
                        "status": "full",
                        "valid_from": start.isoformat(),
                        "valid_to": (
                            start + datetime.timedelta(days=rng.randint(1, 300))
                        ).isoformat(),
                    }
                    status, out = self.send(port, "POST", "/api/v1/memberships", token, body)
                    self.record(status, out, "membership")
            except (OSError, http.client.HTTPException, json.JSONDecodeError) as exc:
                with self.lock:
                    if self.killed.is_set():
                        self.errors_after_kill += 1
                    else:
                        self.failures.append(repr(exc))
                return

    def run(self) -> None:
        threads = [
            threading.Thread(target=self.writer, args=(seed,), daemon=True)
            for seed in range(WRITERS)
        ]
        for thread in threads:
            thread.start()
        try:
            time.sleep(BURST_SECONDS)
            with self.lock:
                self.killed.set()
                self.in_flight_at_kill = self.in_flight
            self.server.kill()
        finally:
            self.stop.set()
            for thread in threads:
                thread.join(timeout=40)


class Database:
    """Raw reads of the database the killed server wrote, SQLite or PostgreSQL."""

    def __init__(self, server):
        if server.kind == "sqlite":
            self.connection = sqlite3.connect(server.data_dir / "accord.sqlite3")
            self.param = "?"
        else:
            import psycopg

            self.connection = psycopg.connect(server.pg["url"])
            self.param = "%s"

    def rows(self, sql, *params):
        cursor = self.connection.cursor()
        cursor.execute(sql.replace("?", self.param), params)
        return cursor.fetchall()

    def close(self):
        self.connection.close()


def check_database(db: Database) -> list[str]:
    problems = []
    for table in VERSIONED:
        live, history = f"registry_{table}", f"registry_historical{table}"
        for pk, version, entries, last in db.rows(
            f"SELECT r.id, r.version, "
            f"(SELECT count(*) FROM {history} h WHERE h.id = r.id), "
            f"(SELECT max(h.version) FROM {history} h WHERE h.id = r.id) FROM {live} r"
        ):
            if entries != version or last != version:
                problems.append(f"{table} {pk}: version {version}, {entries} history entries")
        for (pk,) in db.rows(
            f"SELECT DISTINCT h.id FROM {history} h WHERE h.history_type != '-' "
            f"AND NOT EXISTS (SELECT 1 FROM {live} r WHERE r.id = h.id)"
        ):
            problems.append(f"{table} {pk}: a history entry without its row")
    for table, links, column in LINKED:
        current = {}
        for pk, target in db.rows(f"SELECT {table}_id, {column} FROM registry_{links}"):
            current.setdefault(pk, set()).add(target)
        recorded = {}
        for pk, target in db.rows(
            f"SELECT l.{table}_id, l.{column} FROM registry_historical{links} l "
            f"WHERE l.history_id = (SELECT max(h.history_id) FROM registry_historical{table} h "
            f"WHERE h.id = l.{table}_id)"
        ):
            recorded.setdefault(pk, set()).add(target)
        for (pk,) in db.rows(f"SELECT id FROM registry_{table}"):
            if current.get(pk, set()) != recorded.get(pk, set()):
                problems.append(
                    f"{table} {pk}: {links} {sorted(current.get(pk, []))} but its last history "
                    f"entry has {sorted(recorded.get(pk, []))}"
                )
    return problems


def test_kill_9_during_a_write_burst_leaves_no_half_written_record(server):
    acronyms, keys = seed(server)
    burst = Burst(server, acronyms, keys)
    burst.run()
    print(
        f"{server.kind}: statuses {burst.statuses}, {burst.in_flight_at_kill} requests in flight "
        f"at the kill"
    )

    assert burst.failures == [], server_log(server)
    assert burst.statuses.get(201, 0) + burst.statuses.get(200, 0) > 50, burst.statuses
    # The kill came while requests were in flight, and they were cut off.
    assert burst.in_flight_at_kill > 0
    assert burst.errors_after_kill > 0, burst.statuses

    db = Database(server)
    try:
        if server.kind == "sqlite":
            assert db.rows("PRAGMA integrity_check") == [("ok",)]
            assert db.rows("PRAGMA foreign_key_check") == []
        assert check_database(db) == []
        # Every write the server acknowledged survived the crash.
        versions = {
            table: dict(db.rows(f"SELECT id, version FROM registry_{table}"))
            for table in ("partnership", "membership")
        }
        lost = [
            (table, pk, version)
            for table, pk, version in burst.acknowledged
            if versions[table].get(pk, 0) < version
        ]
        assert lost == []
    finally:
        db.close()
