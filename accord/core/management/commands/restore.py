from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accord.core import backup


class Command(BaseCommand):
    help = (
        "Restore an `accord backup` archive into an empty database (new, or only migrated) and "
        "an empty uploads directory, and check every table against the archive's checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive that `accord backup` wrote.")

    def handle(self, *args, file, **options):
        try:
            manifest = backup.restore_backup(Path(file))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = manifest["tables"]
        rows = sum(table["rows"] for table in tables.values())
        self.stdout.write(
            f"Restored {rows} rows in {len(tables)} tables and {manifest['uploads']['files']} "
            f"uploaded files from a backup of {manifest['created']} (Accord "
            f"{manifest['accord_version']}); every table matches its checksum."
        )
