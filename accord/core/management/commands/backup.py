from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accord.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploads into one .tar.gz archive (readable by its owner "
        "only) while Accord runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to write, e.g. accord-2026-01-31.tar.gz.")

    def handle(self, *args, file, **options):
        try:
            manifest = backup.create_backup(Path(file))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = manifest["tables"]
        rows = sum(table["rows"] for table in tables.values())
        files = manifest["uploads"]["files"]
        self.stdout.write(
            f"Backed up {rows} rows in {len(tables)} tables ({manifest['engine']}) "
            f"and {files} uploaded files to {file}."
        )
