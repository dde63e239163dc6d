from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accord.core.models import ApiToken


class Command(BaseCommand):
    help = "Manage API tokens: `token create USERNAME` prints a new token on its last line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token for a user.")
        create.add_argument("username")
        create.add_argument("--name", default="cli", help="What the token is for.")
        create.add_argument("--days", type=int, default=None, help="Lifetime; 0 for no expiry.")
        revoke = sub.add_parser("revoke", help="Revoke every token of a user.")
        revoke.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        if action == "revoke":
            count, _ = ApiToken.objects.filter(user=user).delete()
            self.stdout.write(f"Revoked {count} token(s) of {username}.")
            return
        token, raw = ApiToken.issue(user=user, name=options["name"], days=options["days"])
        expiry = token.expires.date().isoformat() if token.expires else "never"
        self.stderr.write(f"Token for {username} (expires {expiry}):")
        self.stdout.write(raw)
