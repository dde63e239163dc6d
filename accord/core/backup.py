"""Online backup and restore: the database and the uploads in one .tar.gz archive.

An archive holds `manifest.json` (format, engine, Accord version, date, and every table's row
count and checksum), the database (`database.sqlite3`, a copy made with SQLite's online backup
API, or `database.pgdump`, a `pg_dump` custom-format dump) and the uploads under `uploads/`.
The counts and checksums are taken from the same snapshot as the dump, and a restore checks the
restored database against them.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from django import db as django_db
from django.conf import settings
from django.db import connections

from . import pagecache

FORMAT = "accord-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
UPLOADS = "uploads"
SUFFIXES = (".tar.gz", ".tgz")

# What `accord migrate` writes by itself: Django's bookkeeping and the reference data loaded
# after every migrate (the countries, their borders and their first history entries). A
# database holding rows in these tables (and in the database cache's) only still counts as
# empty; a restore replaces them.
REFERENCE_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "sqlite_sequence",
        "registry_country",
        "registry_country_borders",
        "registry_historicalcountry",
        "registry_historicalcountry_borders",
    }
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the person running it."""


# Checksums ------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _canonical(value) -> object:
    """A value that prints the same however the driver hands it back."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "bytes:" + bytes(value).hex()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _table_names(raw, vendor: str) -> list[str]:
    cursor = raw.cursor()
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND (name NOT LIKE 'sqlite_%' OR name = 'sqlite_sequence')"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    names = sorted(row[0] for row in cursor.fetchall())
    cursor.close()
    return names


def _digest(rows: Iterable[tuple]) -> tuple[int, str]:
    """Row count and an order-free checksum: the sum of every row's SHA-256, modulo 2**256."""
    count = total = 0
    for row in rows:
        line = repr(tuple(_canonical(value) for value in row)).encode()
        total = (total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % 2**256
        count += 1
    return count, f"{total:064x}"


def table_stats(raw, vendor: str) -> dict[str, dict]:
    """Every table's row count and checksum, read through one DB-API connection.

    Both engines' checksums are stable across a backup and restore on the same engine; they are
    not comparable between engines. Read in one transaction (or from a copy) for a consistent set.
    """
    stats = {}
    if vendor != "sqlite":
        # JSON as the server prints it: Django's connections load it as text, a bare psycopg
        # connection as Python objects, and both must give one checksum.
        from psycopg.types.string import TextLoader

        for type_name in ("json", "jsonb"):
            raw.adapters.register_loader(type_name, TextLoader)
    for name in _table_names(raw, vendor):
        sql = f"SELECT * FROM {_quote(name)}"  # noqa: S608 - a table name from the catalogue
        if vendor == "sqlite":
            cursor = raw.cursor()
        else:
            cursor = raw.cursor(name="accord_table_stats")  # server-side: big tables stream
        cursor.execute(sql)
        rows, checksum = _digest(_fetch_all(cursor))
        cursor.close()
        stats[name] = {"rows": rows, "checksum": checksum}
    return stats


def _fetch_all(cursor):
    while batch := cursor.fetchmany(2000):
        yield from batch


def database_stats(using: str = "default") -> dict[str, dict]:
    """`table_stats` of a Django database."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        # Django's connection turns stored text and integers into dates and booleans; the
        # checksums read the stored values, from a copy made as a backup makes it.
        with tempfile.TemporaryDirectory(prefix="accord-stats-") as work:
            return _dump_sqlite(using, Path(work) / "copy.sqlite3")
    import psycopg

    # A connection of its own: one read-only transaction, whatever Django's connection is doing.
    with psycopg.connect(**connection.get_connection_params()) as own:
        own.read_only = True
        own.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        return table_stats(own, "postgresql")


# Helpers ---------------------------------------------------------------------------------------


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _accord_version() -> str:
    try:
        return metadata.version("accord")
    except metadata.PackageNotFoundError:
        return "unknown"


def _pg_env(using: str) -> dict[str, str]:
    from django.db.backends.postgresql.client import DatabaseClient

    settings_dict = connections[using].settings_dict
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("NAME"):
        env["PGDATABASE"] = settings_dict["NAME"]
    return env


def _run_pg_tool(args: list[str], env: dict[str, str]) -> None:
    program = shutil.which(args[0])
    if program is None:
        raise BackupError(
            f"{args[0]} is not on the PATH: install the PostgreSQL client tools "
            "of the server's major version (or newer)."
        )
    result = subprocess.run(  # noqa: S603 - a fixed program, our own arguments
        [program, *args[1:]], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {result.returncode}"
        raise BackupError(f"{args[0]} failed: {reason}")


def _private_dir(path: Path) -> None:
    """Make `path` (and missing parents) a directory only its owner can enter."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True)
        path.chmod(0o700)


def _add_uploads(tar: tarfile.TarFile, root: Path) -> tuple[int, int]:
    """Add the uploaded files under `uploads/`; returns how many went in and their bytes.

    Counted as they are added, so a file uploaded or deleted meanwhile cannot make the
    manifest disagree with the archive.
    """
    files = size = 0
    if not root.is_dir():
        return files, size
    for item in sorted(root.rglob("*")):
        if not item.is_file() or item.is_symlink():
            continue
        arcname = f"{UPLOADS}/{item.relative_to(root).as_posix()}"
        try:
            with item.open("rb") as handle:
                info = tar.gettarinfo(arcname=arcname, fileobj=handle)
                tar.addfile(info, handle)
        except FileNotFoundError:  # deleted since the listing
            continue
        files += 1
        size += info.size
    return files, size


def _count_files(root: Path) -> tuple[int, int]:
    files = size = 0
    if root.is_dir():
        for item in root.rglob("*"):
            if item.is_file() and not item.is_symlink():
                files += 1
                size += item.stat().st_size
    return files, size


# Backup ----------------------------------------------------------------------------------------


def _dump_sqlite(using: str, target: Path) -> dict[str, dict]:
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1) copies a single consistent snapshot; writers carry on in the WAL.
        connection.connection.backup(copy)
        return table_stats(copy, "sqlite")
    finally:
        copy.close()


def _dump_postgresql(using: str, target: Path) -> dict[str, dict]:
    import psycopg

    params = connections[using].get_connection_params()
    with psycopg.connect(**params) as raw:
        # The counts, the checksums and pg_dump all read the snapshot this transaction exports.
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        snapshot = raw.execute("SELECT pg_export_snapshot()").fetchone()[0]
        stats = table_stats(raw, "postgresql")
        _run_pg_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            _pg_env(using),
        )
        raw.rollback()
    return stats


def _database_errors() -> tuple[type[Exception], ...]:
    errors: tuple[type[Exception], ...] = (django_db.Error, sqlite3.Error)
    try:
        import psycopg
    except ImportError:
        return errors
    return (*errors, psycopg.Error)


def _first_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def create_backup(path: Path, *, using: str = "default") -> dict:
    """Write a backup archive of the database and the uploads to `path`; returns the manifest."""
    try:
        return _create_backup(Path(path), using)
    except _database_errors() as exc:
        raise BackupError(f"The database could not be read: {_first_line(exc)}") from exc
    except OSError as exc:
        raise BackupError(f"The backup to {path} failed: {exc}") from exc


def _create_backup(path: Path, using: str) -> dict:
    if not path.name.endswith(SUFFIXES):
        raise BackupError(f"{path}: a backup archive's name ends in .tar.gz.")
    if path.is_dir():
        raise BackupError(f"{path} is a directory.")
    engine = _engine(using)
    if connections[using].in_atomic_block:
        # The dump reads committed data only (SQLite's backup would wait for this transaction).
        raise BackupError("A backup cannot be made inside a database transaction.")
    _private_dir(path.parent)
    uploads = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="accord-backup-") as work:
        database = Path(work) / DATABASE_FILES[engine]
        if engine == "sqlite":
            stats = _dump_sqlite(using, database)
        else:
            stats = _dump_postgresql(using, database)
        # Written beside the target, readable by its owner only, then renamed into place: a
        # reader never sees half an archive.
        fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as tar:
                tar.add(database, arcname=database.name)
                files, size = _add_uploads(tar, uploads)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "engine": engine,
                    "accord_version": _accord_version(),
                    "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                    "tables": stats,
                    "uploads": {"files": files, "bytes": size},
                }
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
                tar.addfile(info, io.BytesIO(data))
            os.chmod(partial, 0o600)
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return manifest


# Restore ---------------------------------------------------------------------------------------


def read_archive(path: Path, into: Path) -> dict:
    """Unpack a backup archive into the directory `into`; returns its checked manifest."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"{path}: no such file.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not an Accord backup: not a .tar.gz archive.") from exc
    try:
        with tar:
            tar.extractall(into, filter="data")
    except tarfile.FilterError as exc:
        raise BackupError(f"{path} is not an Accord backup: {exc}.") from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{path} is truncated or damaged ({exc}).") from exc
    manifest_file = into / MANIFEST
    if not manifest_file.is_file():
        raise BackupError(f"{path} is not an Accord backup: it has no {MANIFEST}.")
    try:
        manifest = json.loads(manifest_file.read_text())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path}: its {MANIFEST} is not valid JSON.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not an Accord backup: its {MANIFEST} is of another format.")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"{path} is an Accord backup of format version {version}; "
            f"this Accord reads version {FORMAT_VERSION}."
        )
    engine = manifest.get("engine")
    if engine not in DATABASE_FILES or not isinstance(manifest.get("tables"), dict):
        raise BackupError(f"{path}: its {MANIFEST} is incomplete.")
    if not (into / DATABASE_FILES[engine]).is_file():
        raise BackupError(f"{path} is truncated or damaged: it has no {DATABASE_FILES[engine]}.")
    expected = manifest.get("uploads", {}).get("files", 0)
    found, _size = _count_files(into / UPLOADS)
    if found != expected:
        raise BackupError(
            f"{path} is truncated or damaged: it holds {found} uploaded files, "
            f"its manifest {expected}."
        )
    return manifest


def _cache_tables() -> set[str]:
    return {
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache.get("BACKEND") == "django.core.cache.backends.db.DatabaseCache"
    }


def _derived_tables(connection) -> set[str]:
    """SQLite's virtual tables and their shadow tables (a full-text index and its bookkeeping,
    which `migrate` writes): derived from other tables, not data of their own."""
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA main.table_list")
        return {row[1] for row in cursor.fetchall() if row[2] in ("shadow", "virtual")}


def data_tables(using: str = "default") -> dict[str, int]:
    """The tables of a database that hold rows, other than those `migrate` fills by itself."""
    connection = connections[using]
    skip = REFERENCE_TABLES | _cache_tables() | _derived_tables(connection)
    found = {}
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            if name in skip:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")  # noqa: S608 - catalogue name
            count = cursor.fetchone()[0]
            if count:
                found[name] = count
    return found


def check_empty(using: str = "default") -> None:
    """Refuse a target that holds data: rows beyond what `migrate` writes, or uploaded files."""
    full = data_tables(using)
    if full:
        listed = ", ".join(f"{name} ({count} rows)" for name, count in sorted(full.items()))
        raise BackupError(
            f"The database is not empty: {listed}. Restore into a new database "
            "(or one that has only been migrated)."
        )
    files, _size = _count_files(Path(settings.MEDIA_ROOT))
    if files:
        raise BackupError(
            f"The uploads directory {settings.MEDIA_ROOT} is not empty ({files} files)."
        )


def compare_stats(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """What differs between two `table_stats`, one phrase per table; empty when they agree."""
    problems = []
    for name, want in sorted(expected.items()):
        have = actual.get(name)
        if have is None:
            problems.append(f"{name} is missing")
        elif have["rows"] != want["rows"]:
            problems.append(f"{name} has {have['rows']} rows, the backup {want['rows']}")
        elif have["checksum"] != want["checksum"]:
            problems.append(f"{name} has other rows than the backup (checksum)")
    problems.extend(f"{name} is not in the backup" for name in sorted(set(actual) - set(expected)))
    return problems


def _load_sqlite(using: str, database: Path, manifest: dict) -> None:
    copy = sqlite3.connect(database)
    try:
        problems = compare_stats(manifest["tables"], table_stats(copy, "sqlite"))
        if problems:
            raise BackupError(f"The backup's database does not match its manifest: {problems[0]}.")
        connection = connections[using]
        connection.close()
        connection.ensure_connection()
        copy.backup(connection.connection)  # replaces every page of the target database
        connection.close()
    finally:
        copy.close()


def _load_postgresql(using: str, database: Path, manifest: dict) -> None:
    connection = connections[using]
    # Tables the backup lacks (from a newer migration) hold no data here: check_empty said so.
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            if name not in manifest["tables"]:
                cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)} CASCADE")
    connection.close()
    _run_pg_tool(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(database),
        ],
        _pg_env(using),
    )


def restore_backup(path: Path, *, using: str = "default") -> dict:
    """Restore an archive into an empty database and uploads directory; returns its manifest."""
    try:
        return _restore_backup(Path(path), using)
    except _database_errors() as exc:
        raise BackupError(f"The database could not be restored: {_first_line(exc)}") from exc
    except OSError as exc:
        raise BackupError(f"The restore from {path} failed: {exc}") from exc


def _restore_backup(path: Path, using: str) -> dict:
    engine = _engine(using)
    with tempfile.TemporaryDirectory(prefix="accord-restore-") as work:
        manifest = read_archive(path, Path(work))
        if manifest["engine"] != engine:
            raise BackupError(
                f"{path} is a {manifest['engine']} backup; it restores into a "
                f"{manifest['engine']} database only, and this one is {engine}."
            )
        check_empty(using)
        database = Path(work) / DATABASE_FILES[engine]
        if engine == "sqlite":
            _load_sqlite(using, database, manifest)
        else:
            _load_postgresql(using, database, manifest)
        problems = compare_stats(manifest["tables"], database_stats(using))
        if problems:
            raise BackupError(f"The restored database differs from the backup: {problems[0]}.")
        uploads = Path(work) / UPLOADS
        if uploads.is_dir():
            _private_dir(Path(settings.MEDIA_ROOT))
            shutil.copytree(uploads, settings.MEDIA_ROOT, dirs_exist_ok=True)
    # Written by pg_restore or SQLite's backup API, past the connection's statement watch.
    pagecache.changed()
    return manifest
