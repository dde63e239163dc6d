"""`accord remind [--days N] [--dry-run]`: today's reminder digests (meetings/reminders.py)."""

from django.core.management.base import BaseCommand, CommandError

from accord.meetings import reminders


class Command(BaseCommand):
    help = (
        "Email each owner one digest of their actions due within N days and overdue (and "
        "editors the reviews due), at most once a day. Meant for cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            default=reminders.DEFAULT_DAYS,
            help=f"Actions due within this many days (default {reminders.DEFAULT_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send nothing."
        )

    def handle(self, *args, days, dry_run, **options):
        try:
            days = int(str(days).strip())
        except ValueError:
            raise CommandError(f"--days: “{days}” is not a whole number of days.") from None
        if not 0 <= days <= reminders.MAX_DAYS:
            raise CommandError(f"--days: give a number from 0 to {reminders.MAX_DAYS}.")
        summary = reminders.send_reminders(days=days, dry_run=dry_run)
        for line in summary.lines():
            self.stdout.write(line)
        if summary.failed:
            # cron mails a failing job's output; the digests that went out are recorded.
            raise CommandError(f"{len(summary.failed)} digests could not be sent.")
