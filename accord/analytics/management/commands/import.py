"""`accord import cow-igo DIR`: import a published membership data set (see analytics/cow.py)."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accord.analytics import cow


class Command(BaseCommand):
    help = (
        "Import membership data from published files. `cow-igo DIR`: the Correlates of War "
        "IGO data v3.0 (igo_year_formatv3.csv and state_year_formatv3.csv, gzipped or not). "
        "Every file is checked first; nothing is written unless all of it can be; a second "
        "run of the same files changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=["cow-igo"], help="What the files are.")
        parser.add_argument("directory", help="The directory that holds the files.")
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="No progress bar (there is none anyway when the output is not a terminal).",
        )

    def handle(self, *args, source, directory, no_progress=False, **options):
        bars: dict[str, tqdm] = {}
        show = not no_progress and sys.stderr.isatty()

        def progress(label, done, total):
            bar = bars.get(label)
            if bar is None:
                for other in bars.values():
                    other.close()
                bar = bars[label] = tqdm(
                    total=total, desc=label, unit=" rows", file=sys.stderr, leave=False
                )
            bar.update(done - bar.n)

        started = time.monotonic()
        try:
            report = cow.import_cow(Path(directory), progress=progress if show else None)
        except cow.CowImportError as exc:
            raise CommandError(f"Nothing was imported.\n{exc}") from None
        finally:
            for bar in bars.values():
                bar.close()
        write = self.stdout.write
        first, last = report.years
        write(f"{cow.DATASET_NAME}: {report.igos} IGOs, {first}–{last}.")
        write(
            f"Organizations: {report.organizations_matched} matched, "
            f"{report.organizations_created} created."
        )
        for ioname, acronym in sorted(report.matched.items()):
            write(f"  {ioname} is {acronym}")
        write(f"Historical and other states created: {report.countries_created}.")
        write(
            f"Spells: {report.spells_added} added, {report.spells_removed} removed, "
            f"{report.spells_kept} unchanged."
        )
        if not report.changed:
            write("Nothing changed: the data set was already imported from these files.")
        write(f"Done in {time.monotonic() - started:.1f} s.")
