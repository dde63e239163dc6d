from django.core.management.base import BaseCommand, CommandError

from accord.importers.demo import DEMO_FILE, DemoDataError, load_demo


class Command(BaseCommand):
    help = "Load the OSCE demo workspace (idempotent: a second run changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_FILE), help="Another workspace file.")

    def handle(self, *args, file, **options):
        from pathlib import Path

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            report = load_demo(path=path)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        if not report.changed:
            self.stdout.write("The demo workspace is already up to date.")
            return
        for label, counts in (("Created", report.created), ("Updated", report.updated)):
            if counts:
                summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
                self.stdout.write(f"{label}: {summary}.")
