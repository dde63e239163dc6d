"""`accord embed [--all]`: fill the missing or stale vectors of similar practices."""

import time

from django.core.management.base import BaseCommand, CommandError

from accord.knowledge import semantic


class Command(BaseCommand):
    help = (
        "Embed the practices and requests whose vector for similar practices is missing or "
        "out of date (all of them with --all), and remove the vectors of deleted records. "
        "Needs the optional extra accord[semantic]."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Embed every practice and request again, not only the missing or stale ones.",
        )

    def handle(self, *args, everything=False, **options):
        available, reason = semantic.status()
        if not available:
            missing = semantic.missing_packages()
            if missing:
                reason += f" Missing: {', '.join(missing)}."
            raise CommandError(reason)
        try:
            semantic.get_model()
        except semantic.SemanticUnavailable as exc:
            raise CommandError(str(exc)) from exc
        started = time.monotonic()
        total = 0
        for label, kind in semantic.KINDS.items():
            count = semantic.refresh(label, force=everything)
            total += count
            name = kind.model._meta.verbose_name_plural
            self.stdout.write(f"{name}: {count} embedded")
        self.stdout.write(f"{total} vectors made in {time.monotonic() - started:.1f} s.")
