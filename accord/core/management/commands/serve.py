import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accord.settings.base import env_bool

# More workers than this buy nothing for Accord on one machine; run more machines instead.
MAX_WORKERS = 8


def default_workers() -> int:
    """ACCORD_WORKERS, else 2 × cores + 1 (at least 2, at most MAX_WORKERS)."""
    if os.environ.get("ACCORD_WORKERS", "").strip():
        return max(1, int(os.environ["ACCORD_WORKERS"]))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(2, min(2 * cores + 1, MAX_WORKERS))


def forwarded_allow_ips() -> str:
    """The proxies whose X-Forwarded-Proto gunicorn believes: none unless one is configured."""
    explicit = os.environ.get("ACCORD_FORWARDED_ALLOW_IPS", "").strip()
    if explicit:
        return explicit
    behind_proxy = env_bool("ACCORD_BEHIND_PROXY", False) or (
        getattr(settings, "ACCORD_TRUSTED_PROXIES", 0) > 0
    )
    return "127.0.0.1,::1" if behind_proxy else ""


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "accord.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        # Requests are logged by Accord itself, as JSON (accord.access); errors go to stderr.
        "--error-logfile",
        "-",
        "--forwarded-allow-ips",
        forwarded_allow_ips(),
        "--graceful-timeout",
        "30",
    ]


class Command(BaseCommand):
    help = "Serve Accord with gunicorn, a production WSGI server (static files by whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Worker processes (default: ACCORD_WORKERS, else 2 × cores + 1, at most "
            f"{MAX_WORKERS}).",
        )

    def handle(self, *args, host, port, workers, **options):
        workers = workers or default_workers()
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            f"Accord is served at http://{host}:{port}/ by {workers} workers (Ctrl-C stops it)."
        )
        self.stdout.flush()
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings.production")
        env["ACCORD_DATA_DIR"] = str(settings.DATA_DIR)
        argv = gunicorn_argv(host=host, port=port, workers=workers)
        os.execvpe(sys.executable, argv, env)  # noqa: S606 (argv is ours, no shell)
