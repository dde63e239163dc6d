"""The OSCE demo workspace: the counts a user checks, and a second load changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from accord.importers.demo import DemoDataError, load_demo, parse
from accord.registry.choices import MembershipStatus
from accord.registry.models import Membership, Organization, Partnership, Person
from accord.registry.selectors import member_counts

EXPECTED_MEMBERS = {
    "OSCE": 57,
    "UN": 193,
    "EU": 27,
    "CoE": 46,
    "NATO": 32,
    "SCO": 10,
    "CICA": 28,
    "OIC": 57,
    "LAS": 22,
    "AU": 55,
}


class DemoWorkspaceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.root = get_user_model().objects.create_superuser("root", password="x")

    def test_membership_counts(self):
        for acronym, expected in EXPECTED_MEMBERS.items():
            organization = Organization.objects.get(acronym=acronym)
            counts = member_counts(user=self.root, organization=organization)
            self.assertEqual(counts["members"], expected, acronym)
        osce = Organization.objects.get(acronym="OSCE")
        self.assertTrue(osce.is_home)
        partners = member_counts(user=self.root, organization=osce)[MembershipStatus.PARTNER]
        self.assertEqual(partners, 11)

    def test_home_partnerships_and_bases(self):
        partners = set(
            Partnership.objects.filter(organization__acronym="OSCE").values_list(
                "partner__acronym", flat=True
            )
        )
        self.assertEqual(partners, set(EXPECTED_MEMBERS) - {"OSCE"})
        un = Partnership.objects.get(organization__acronym="OSCE", partner__acronym="UN")
        self.assertTrue(un.basis.filter(year=1992).exists())
        self.assertTrue(Organization.objects.get(acronym="OIC").former_names)

    def test_loading_twice_changes_nothing(self):
        def snapshot():
            return (
                Organization.objects.count(),
                Membership.objects.count(),
                Partnership.objects.count(),
                Person.objects.count(),
                Organization.history.count() + Membership.history.count(),
            )

        before = snapshot()
        report = load_demo()
        self.assertFalse(report.changed)
        self.assertEqual(snapshot(), before)

    def test_command_reports_up_to_date(self):
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        self.assertIn("already up to date", out.getvalue())


@pytest.mark.django_db
def test_a_bad_file_names_the_entry_and_loads_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "home: ABC\norganizations:\n  - acronym: ABC\n    name: A\n    kind: regional\n"
        "    members:\n      - {country: XXX, status: full, from: 2020-01-01}\n"
        "      - {country: FRA, status: member}\n",
        encoding="utf-8",
    )
    with pytest.raises(DemoDataError) as error:
        load_demo(path=bad)
    message = str(error.value)
    assert "organizations[0] (ABC).members[0] (XXX): unknown country “XXX”" in message
    assert "“member” is not one of" in message
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_the_shipped_file_parses():
    data = parse()
    assert data["home"] == "OSCE"
