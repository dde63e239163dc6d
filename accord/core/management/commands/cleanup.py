from django.core.management.base import BaseCommand

from accord.core.tasks import clear_expired_sessions_and_tokens


class Command(BaseCommand):
    help = (
        "Delete expired sessions and API tokens (and old finished task results); with "
        "--background, enqueue that for `accord worker` instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--background", action="store_true", help="Enqueue it; print the task id."
        )

    def handle(self, *args, background, **options):
        if background:
            result = clear_expired_sessions_and_tokens.enqueue()
            self.stderr.write("Enqueued the cleanup for `accord worker`; its task id:")
            self.stdout.write(str(result.id))
            return
        counts = clear_expired_sessions_and_tokens.call()
        done = ", ".join(f"{name}: {n}" for name, n in counts.items() if n is not None)
        self.stdout.write(f"Deleted expired rows ({done}).")
