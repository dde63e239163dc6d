from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


class Command(BaseCommand):
    help = (
        "Run background tasks for the configured queue: the database's, or Redis's (RQ) when "
        "ACCORD_REDIS_URL is set. SIGTERM or Ctrl-C stops it after the task in hand."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            help="A queue to work on (repeatable; default: every configured queue).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks waiting now, then exit."
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after running this many tasks."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty database queue (default 1).",
        )

    def handle(self, *args, queues, batch, max_tasks, interval, verbosity, **options):
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        kind = type(backend).__module__
        queues = queues or sorted(backend.queues)
        if kind.startswith("django_tasks_db"):
            call_command(
                "db_worker",
                queue_name=",".join(queues),
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                batch=batch,
                max_tasks=max_tasks,
                interval=interval,
                reload=False,
                startup_delay=not batch,
                verbosity=verbosity,
            )
        elif kind.startswith("django_tasks_rq"):
            call_command(
                "rqworker",
                *queues,
                job_class="django_tasks_rq.Job",
                with_scheduler=True,  # runs tasks enqueued to run later
                burst=batch,
                max_jobs=max_tasks,
                verbosity=verbosity,
            )
        else:
            raise CommandError(
                f"The task backend {type(backend).__name__} runs tasks without a worker."
            )
