import os
from pathlib import Path

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender, using, **kwargs) -> None:
    """Make the database cache's table (if one is configured) wherever `migrate` runs."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def restrict_sqlite_files(sender, connection, **kwargs) -> None:
    """Keep a SQLite database and its -wal and -shm files readable by their owner only."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    name = str(connection.settings_dict["NAME"])
    for path in (Path(name), Path(name + "-wal"), Path(name + "-shm")):
        try:
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
        except FileNotFoundError:
            pass


class CoreConfig(AppConfig):
    name = "accord.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # `accord migrate`, `accord demo` and the test databases all get the cache table.
        post_migrate.connect(create_cache_table, sender=self)
        # New databases are made 0600 in settings (database_config); this mends older ones.
        connection_created.connect(restrict_sqlite_files)
        # Every write changes the data version that kept pages are filed under.
        from django.core.signals import request_finished

        from .pagecache import settle, watch_connection

        connection_created.connect(watch_connection)
        request_finished.connect(settle, dispatch_uid="accord-pagecache-settle")
        # A new password revokes the user's API tokens (accord/core/signals.py).
        from . import signals

        signals.connect()
