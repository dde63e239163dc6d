"""What the importers app hooks in: the countries after every migrate or flush, and its part
of `accord demo`."""

import io

import pytest
from django.core.management import call_command

from accord.core import extensions, policy
from accord.core.choices import Role
from accord.registry.models import Country, Organization


@pytest.mark.django_db(transaction=True)
def test_the_countries_are_back_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert Country.objects.filter(iso3__in=["AUT", "FRA", "KAZ"]).count() == 3


def test_the_workspace_loads_first_in_accord_demo():
    loaders = extensions.demo_loaders()
    assert loaders[0].key == "workspace"


def test_accord_demo_runs_every_app_part_then_makes_the_accounts(db, django_user_model):
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    # The workspace loader wrote through the command's output, before the accounts.
    assert text.index("Created:") < text.index("Demo accounts")
    assert Organization.objects.filter(acronym="OSCE", is_home=True).exists()
    partner = django_user_model.objects.get(username="un-focal-point")
    assert policy.role_of(partner) == Role.PARTNER
    assert partner.accord_profile.organization.acronym == "UN"
    # A second run changes nothing and keeps the passwords.
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "already up to date" in out.getvalue()
    assert "(unchanged)" in out.getvalue()
