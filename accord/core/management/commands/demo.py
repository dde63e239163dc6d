import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accord.core import extensions
from accord.core.choices import Role
from accord.core.models import Profile

# Demo accounts: username, role, partner organization, password. Local demo use only.
DEMO_ACCOUNTS = [
    ("admin", Role.ADMINISTRATOR, None, "accord-admin"),
    ("editor", Role.EDITOR, None, "accord-editor"),
    ("viewer", Role.VIEWER, None, "accord-viewer"),
    ("un-focal-point", Role.PARTNER, "UN", "accord-partner"),
]


def ensure_demo_accounts() -> list[tuple[str, str, str]]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    rows = []
    for username, role, acronym, password in DEMO_ACCOUNTS:
        org = None
        if acronym:
            org = extensions.organization_by_acronym(acronym)
            if org is None:
                raise CommandError(f"The demo workspace has no organization “{acronym}”.")
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
        user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": role, "organization": org})
        label = f"{role.label}" + (f" ({acronym})" if acronym else "")
        rows.append((username, password if created else "(unchanged)", label))
    return rows


class Command(BaseCommand):
    help = "Migrate, load every app's part of the demo workspace, make the demo accounts, serve."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Set up only.")

    def handle(self, *args, host, port, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # Each app's part of the demo workspace (accord/core/extensions.py), in order.
        for loader in extensions.demo_loaders():
            loader.load(stdout=self.stdout, verbosity=options["verbosity"])
        rows = ensure_demo_accounts()
        self.stdout.write("")
        self.stdout.write(f"Accord demo workspace: http://{host}:{port}/")
        self.stdout.write("Demo accounts (username / password / role):")
        for username, password, label in rows:
            self.stdout.write(f"  {username:<16} {password:<16} {label}")
        self.stdout.write("")
        if not no_serve:
            # Background tasks need a worker beside the server, as in production. It shares
            # the terminal's process group, so Ctrl-C stops it with the server.
            subprocess.Popen([sys.executable, "-m", "accord.cli", "worker"])  # noqa: S603
            call_command("serve", host=host, port=port)
