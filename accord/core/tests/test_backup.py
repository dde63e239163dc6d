"""`accord backup` and `accord restore`: round trips, refusals, and backups taken during writes.

A restore needs an empty database of the test database's engine: a new SQLite file, or a
PostgreSQL database named after the test database (unique per xdist worker) and dropped after.
The restores run `accord restore` in a process of its own, as a person would.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accord.core import backup
from accord.registry import services
from accord.registry.models import Organization

UPLOAD = b"%PDF-1.4 the Helsinki Document, scanned\n" * 100


@dataclass
class Database:
    """A database outside Django's test database, reached by URL (subprocesses) or directly."""

    vendor: str
    name: str  # the SQLite file, or the PostgreSQL database
    data_dir: Path

    @property
    def url(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.name}"
        s = connection.settings_dict
        auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{self.name}"

    def connect(self):
        if self.vendor == "sqlite":
            return sqlite3.connect(self.name)
        import psycopg

        return psycopg.connect(**_pg_params(self.name))

    def stats(self) -> dict:
        with closing(self.connect()) as raw:
            return backup.table_stats(raw, self.vendor)

    def query(self, sql: str) -> list[tuple]:
        with closing(self.connect()) as raw:
            cursor = raw.cursor()
            cursor.execute(sql)
            return cursor.fetchall()

    def accord(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "accord.settings.test",
            "ACCORD_DATA_DIR": str(self.data_dir),
            "ACCORD_DATABASE_URL": self.url,
        }
        result = subprocess.run(
            [sys.executable, "-m", "accord.cli", *args],
            env=env,
            cwd=self.data_dir,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result


def _pg_params(dbname: str) -> dict:
    s = connection.settings_dict
    params = {"dbname": dbname, "user": s["USER"], "host": s["HOST"], "port": s["PORT"]}
    if s["PASSWORD"]:
        params["password"] = s["PASSWORD"]
    return {k: v for k, v in params.items() if v}


@pytest.fixture
def empty_database(tmp_path, django_db_setup, django_db_blocker):
    """Make empty databases of the test database's engine; PostgreSQL ones are dropped after."""
    made = []

    def admin(sql: str) -> None:
        import psycopg

        with psycopg.connect(**_pg_params("postgres"), autocommit=True) as raw:
            raw.execute(sql)

    def make(label: str) -> Database:
        data_dir = tmp_path / label
        data_dir.mkdir()
        if connection.vendor == "sqlite":
            return Database("sqlite", str(data_dir / "accord.sqlite3"), data_dir)
        name = f"{connection.settings_dict['NAME']}_{label}"
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{name}"')
        made.append(name)
        return Database("postgresql", name, data_dir)

    yield make
    for name in made:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def uploads(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "helsinki-1992.pdf").write_bytes(UPLOAD)
    return settings.MEDIA_ROOT


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.load(tar.extractfile(backup.MANIFEST))


def repack(archive: Path, target: Path, *, manifest: dict, rename: dict | None = None) -> Path:
    """A copy of `archive` with another manifest (and members renamed)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            member.name = (rename or {}).get(member.name, member.name)
            if member.name == backup.MANIFEST:
                data = json.dumps(manifest).encode()
                member.size = len(data)
                dst.addfile(member, io.BytesIO(data))
            else:
                dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    return target


@pytest.mark.django_db(transaction=True)
def test_round_trip_gives_identical_tables_and_uploads(world, uploads, empty_database, tmp_path):
    services.organization_update(
        actor=world.users.editor, organization=world.un, expected_version=1, name="The UN"
    )
    archive = tmp_path / "backups" / "accord.tar.gz"

    output = run("backup", str(archive))

    assert f"to {archive}" in output
    assert archive.stat().st_mode & 0o777 == 0o600
    assert archive.parent.stat().st_mode & 0o777 == 0o700
    source = backup.database_stats()
    manifest = read_manifest(archive)
    assert manifest["format"] == "accord-backup"
    assert manifest["engine"] == connection.vendor
    assert manifest["accord_version"]
    assert manifest["uploads"] == {"files": 1, "bytes": len(UPLOAD)}
    assert manifest["tables"] == source
    assert source["registry_organization"]["rows"] == 3
    assert source["auth_user"]["rows"] == 5

    target = empty_database("restored")
    result = target.accord("restore", str(archive))

    assert "every table matches its checksum" in result.stdout
    restored = target.stats()
    assert {name: s["rows"] for name, s in restored.items()} == {
        name: s["rows"] for name, s in source.items()
    }
    # The cache's data version changes after a restore (pages kept before it are out of date).
    assert restored.pop("accord_cache")["rows"] == source.pop("accord_cache")["rows"]
    assert restored == source
    assert (target.data_dir / "uploads/documents/helsinki-1992.pdf").read_bytes() == UPLOAD
    assert target.query("SELECT name FROM registry_organization WHERE acronym = 'UN'") == [
        ("The UN",)
    ]
    # The restored database takes new records: its id sequences came back too.
    target.accord("createuser", "newcomer", "--role", "viewer")
    assert target.query("SELECT COUNT(*) FROM auth_user") == [(6,)]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_checksum_mismatch(world, uploads, empty_database, tmp_path):
    archive = tmp_path / "accord.tar.gz"
    run("backup", str(archive))
    manifest = read_manifest(archive)
    manifest["tables"]["registry_organization"]["checksum"] = "0" * 64
    tampered = repack(archive, tmp_path / "tampered.tar.gz", manifest=manifest)

    target = empty_database("tampered")
    result = target.accord("restore", str(tampered), check=False)

    assert result.returncode == 1
    assert "registry_organization has other rows than the backup (checksum)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(world, uploads, tmp_path):
    archive = tmp_path / "accord.tar.gz"
    run("backup", str(archive))

    with pytest.raises(CommandError) as refused:
        run("restore", str(archive))

    message = str(refused.value)
    assert message.startswith("The database is not empty: ")
    assert "auth_user (5 rows)" in message
    assert "registry_organization (3 rows)" in message
    # Reference data that `migrate` loads by itself is not what makes a database full.
    assert "registry_country" not in message
    assert Organization.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_uploads_that_are_already_there(uploads, tmp_path):
    archive = tmp_path / "accord.tar.gz"
    run("backup", str(archive))  # a database holding the countries only counts as empty

    with pytest.raises(CommandError, match=r"The uploads directory .*uploads is not empty \(1 "):
        run("restore", str(archive))


def test_backup_wants_an_archive_name_and_no_open_transaction(db, tmp_path):
    with pytest.raises(CommandError, match="a backup archive's name ends in .tar.gz"):
        run("backup", str(tmp_path / "accord.sqlite3"))
    assert not (tmp_path / "accord.sqlite3").exists()
    with pytest.raises(CommandError, match="cannot be made inside a database transaction"):
        run("backup", str(tmp_path / "accord.tar.gz"))  # `db` runs each test in a transaction
    assert not (tmp_path / "accord.tar.gz").exists()


@pytest.mark.django_db(transaction=True)
def test_bad_archives_get_a_one_line_error(uploads, tmp_path):
    good = tmp_path / "good.tar.gz"
    run("backup", str(good))
    manifest = read_manifest(good)
    other_engine = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    not_archive = tmp_path / "notes.tar.gz"
    not_archive.write_text("these are not the backups you are looking for\n")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    no_manifest = tmp_path / "no-manifest.tar.gz"
    with tarfile.open(no_manifest, "w:gz") as tar:
        tar.add(uploads, arcname="uploads")
    cases = {
        tmp_path / "missing.tar.gz": "missing.tar.gz: no such file",
        not_archive: "is not an Accord backup: not a .tar.gz archive",
        truncated: "is truncated or damaged",
        no_manifest: "is not an Accord backup: it has no manifest.json",
        repack(good, tmp_path / "other.tar.gz", manifest={"format": "someone-else"}): (
            "is not an Accord backup: its manifest.json is of another format"
        ),
        repack(good, tmp_path / "v9.tar.gz", manifest={**manifest, "format_version": 9}): (
            "of format version 9; this Accord reads version 1"
        ),
        repack(
            good,
            tmp_path / "engine.tar.gz",
            manifest={**manifest, "engine": other_engine},
            rename={backup.DATABASE_FILES[connection.vendor]: backup.DATABASE_FILES[other_engine]},
        ): f"is a {other_engine} backup; it restores into a {other_engine} database only",
    }
    for archive, problem in cases.items():
        with pytest.raises(CommandError) as refused:
            run("restore", str(archive))
        assert problem in str(refused.value), archive
        assert "\n" not in str(refused.value)


def test_the_command_line_prints_the_problem_not_a_traceback(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "accord.settings.test"}
    env["ACCORD_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "accord.cli", "restore", str(tmp_path / "nope.tar.gz")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {tmp_path / 'nope.tar.gz'}: no such file."
    ]


WRITER = """
import os, sys
import django

django.setup()
from accord.registry import services

stop = sys.argv[1]
home = services.organization_create(actor=None, acronym="HOME", name="Home 0", kind="regional",
                                    is_home=True)
i = 0
while not os.path.exists(stop):
    i += 1
    services.organization_create(actor=None, acronym=f"W{i}", name=f"Writer {i}", kind="global")
    home = services.organization_update(actor=None, organization=home,
                                        expected_version=home.version, name=f"Home {i}")
"""


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_backups_taken_during_writes_restore_consistent(empty_database, tmp_path):
    source = empty_database("live")
    source.accord("migrate", "--verbosity", "0")
    stop = tmp_path / "stop"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accord.settings.test",
        "ACCORD_DATA_DIR": str(source.data_dir),
        "ACCORD_DATABASE_URL": source.url,
    }
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(stop)], env=env)
    archives = []
    try:
        organizations = "SELECT COUNT(*) FROM registry_organization"
        wait_for(lambda: source.query(organizations)[0][0] >= 20)
        for n in range(3):
            archives.append(tmp_path / f"live-{n}.tar.gz")
            source.accord("backup", str(archives[-1]))
        written = source.query(organizations)[0][0]
        wait_for(lambda: source.query(organizations)[0][0] > written)  # still writing
    finally:
        stop.touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0

    counts = []
    for n, archive in enumerate(archives):
        manifest = read_manifest(archive)
        target = empty_database(f"from-live-{n}")
        target.accord("restore", str(archive))  # checks every table against the manifest
        assert {name: s["rows"] for name, s in target.stats().items()} == {
            name: s["rows"] for name, s in manifest["tables"].items()
        }
        # Every organization has one history entry per version, the last one matching the row.
        mismatched = target.query(
            "SELECT o.acronym FROM registry_organization o WHERE o.version <> "
            "(SELECT COUNT(*) FROM registry_historicalorganization h WHERE h.id = o.id) "
            "OR NOT EXISTS (SELECT 1 FROM registry_historicalorganization h WHERE h.id = o.id "
            "AND h.version = o.version AND h.name = o.name AND h.history_id = "
            "(SELECT MAX(history_id) FROM registry_historicalorganization l WHERE l.id = o.id))"
        )
        assert mismatched == []
        orphans = target.query(
            "SELECT COUNT(*) FROM registry_historicalorganization h "
            "WHERE NOT EXISTS (SELECT 1 FROM registry_organization o WHERE o.id = h.id)"
        )
        assert orphans == [(0,)]
        (home_name,) = target.query("SELECT name FROM registry_organization WHERE is_home")[0]
        writers = manifest["tables"]["registry_organization"]["rows"] - 1
        assert home_name == f"Home {writers}" or home_name == f"Home {writers - 1}"
        counts.append(writers)
    assert counts[0] < counts[1] < counts[2], "the backups were not taken while writes went on"
