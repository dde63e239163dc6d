import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Accord with gunicorn, a production WSGI server (static files by whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, host, port, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Accord is served at http://{host}:{port}/ (Ctrl-C stops it).")
        self.stdout.flush()
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings.production")
        env["ACCORD_DATA_DIR"] = str(settings.DATA_DIR)
        argv = [
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
            "--access-logfile",
            "-",
        ]
        os.execvpe(sys.executable, argv, env)  # noqa: S606 (argv is ours, no shell)
