"""`accord reindex [--kind KEY ...]`: make the search index again from the records."""

import time

from django.core.management.base import BaseCommand, CommandError

from accord.core import extensions
from accord.search import index


class Command(BaseCommand):
    help = (
        "Rebuild the workspace-wide search index from the records, in one transaction, and "
        "print the entries of each kind. After a load that bypassed the services, or to mend "
        "an index that drifted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="KEY",
            help="Only this kind of record (repeatable); all of them by default.",
        )

    def handle(self, *args, kinds=None, **options):
        known = [kind.key for kind in extensions.search_kinds()]
        unknown = sorted(set(kinds or ()) - set(known))
        if unknown:
            raise CommandError(
                f"--kind: no kind {', '.join(unknown)}; the kinds are {', '.join(known)}."
            )
        started = time.monotonic()
        counts = index.rebuild(kinds=kinds)
        width = max((len(key) for key in counts), default=0)
        for key, count in counts.items():
            self.stdout.write(f"{key:<{width}}  {count:>8}")
        total = sum(counts.values())
        self.stdout.write(f"{total} entries indexed in {time.monotonic() - started:.1f} s.")
