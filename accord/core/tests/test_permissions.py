"""The data directory is 0700; the SQLite files and the secret key are 0600, even under umask 022.

Each case starts a process of its own, as `accord` does, so the settings and the connection
hook run from the start.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, os, sys
import django

django.setup()
from django.conf import settings
from django.db import connection

if connection.vendor == "sqlite":
    with connection.cursor() as cursor:  # a write, so the -wal and -shm files exist
        cursor.execute("CREATE TABLE IF NOT EXISTS probe (x)")
        cursor.execute("INSERT INTO probe VALUES (1)")
data = settings.DATA_DIR
modes = {p.name: oct(p.stat().st_mode & 0o777) for p in [data, *data.iterdir()]}
print(json.dumps(modes))
"""


def modes_seen_by_accord(data_dir: Path, **env) -> dict[str, str]:
    """The modes of the data directory and its files while an Accord process has them open."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    environment.update(DJANGO_SETTINGS_MODULE="accord.settings.test", **env)
    environment["ACCORD_DATA_DIR"] = str(data_dir)
    result = subprocess.run(
        [sys.executable, "-c", f"import os; os.umask(0o022)\n{SCRIPT}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_new_data_directory_is_for_its_owner_only(tmp_path):
    data = tmp_path / "srv" / "data"

    modes = modes_seen_by_accord(data)

    assert modes == {
        "data": "0o700",
        "secret_key": "0o600",
        "accord.sqlite3": "0o600",
        "accord.sqlite3-wal": "0o600",
        "accord.sqlite3-shm": "0o600",
    }


def test_an_existing_install_is_tightened(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / "secret_key").write_text("an-old-key-readable-by-everyone")
    (data / "secret_key").chmod(0o644)
    database = data / "accord.sqlite3"
    old = sqlite3.connect(database)  # kept open: its -wal and -shm files stay, 0644 like it
    old.execute("PRAGMA journal_mode=WAL")
    old.execute("CREATE TABLE earlier (x)")
    old.commit()
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.chmod(0o644)
    try:
        modes = modes_seen_by_accord(data)
    finally:
        old.close()

    assert set(modes.values()) <= {"0o600", "0o700"}, modes
    assert modes["data"] == "0o700"
    assert modes["secret_key"] == modes["accord.sqlite3"] == "0o600"
    assert modes["accord.sqlite3-wal"] == modes["accord.sqlite3-shm"] == "0o600"


def test_with_another_database_the_key_and_directory_are_still_private(tmp_path):
    data = tmp_path / "data"
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}"

    modes = modes_seen_by_accord(data, ACCORD_DATABASE_URL=url)

    assert modes == {"data": "0o700", "secret_key": "0o600"}
    assert (tmp_path / "elsewhere.sqlite3").stat().st_mode & 0o777 == 0o600
