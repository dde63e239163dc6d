import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accord.core import extensions
from accord.core.choices import Role
from accord.core.models import Profile


class Command(BaseCommand):
    help = "Create a user (or change an existing one's role and password)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--organization", help="Acronym of the partner organization (partner role)."
        )
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )
        parser.add_argument(
            "--no-validate", action="store_true", help="Skip the password strength rules."
        )

    @transaction.atomic
    def handle(self, *args, username, role, organization, email, password_stdin, **options):
        org = None
        if role == Role.PARTNER:
            if not organization:
                raise CommandError("A partner user needs --organization ACRONYM.")
            org = extensions.organization_by_acronym(organization)
            if org is None:
                raise CommandError(f"No organization with the acronym “{organization}”.")
        elif organization:
            raise CommandError("--organization is only for the partner role.")
        password = None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("No password on standard input.")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, email=email)
        if password is not None:
            if not options["no_validate"]:
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.is_staff = role == Role.ADMINISTRATOR
        user.is_superuser = role == Role.ADMINISTRATOR
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": role, "organization": org})
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {role} {username}" + (f" of {org.acronym}" if org else "") + ".")
