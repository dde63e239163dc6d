"""Membership over time on the organization and country pages, and the chart downloads."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.analytics import cow
from accord.registry import services
from accord.registry.models import Country

from . import cowfiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(world, tmp_path):
    """The small COW files, and NATO's members entered in Accord: the United States and France
    from 1949, Germany from 1990 (its 1990 is counted by COW for the Federal Republic too)."""
    cow.import_cow(cowfiles.write(tmp_path, cowfiles.nato_like()))
    c = {c.iso3: c for c in Country.objects.filter(iso3__in=["USA", "FRA", "DEU", "ITA"])}
    from accord.registry.models import Organization

    nato = Organization.objects.get(acronym="NATO")
    for iso3, start in [("USA", (1949, 4, 4)), ("FRA", (1949, 4, 4)), ("ITA", (1949, 4, 4))]:
        services.membership_create(
            actor=None,
            organization=nato,
            country=c[iso3],
            status="full",
            valid_from=datetime.date(*start),
        )
    services.membership_create(
        actor=None,
        organization=nato,
        country=c["DEU"],
        status="full",
        valid_from=datetime.date(1990, 10, 3),
    )
    return nato


def test_the_organization_page_shows_both_sources_and_what_differs(imported, client_for, world):
    page = client_for(world.users.viewer).get("/organizations/NATO/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Membership over time" in html
    assert "<svg" in html and "NATO: full members by year" in html
    # The sources side by side in COW's last year here (1993): Italy is entered only.
    assert "Entered data and COW IGO v3.0, 1993" in html
    assert "Entered in Accord: 4 full members in 1993. COW IGO v3.0: 3." in html
    assert "Italy" in html and "Entered data only" in html
    assert "COW IGO v3.0 ends in 1993: later years are entered data only." in html


def test_the_comparison_says_why_where_it_knows(imported, client_for, world):
    from accord.analytics.compare import compare
    from accord.analytics.models import Dataset

    dataset = Dataset.objects.get()
    result = compare(world.users.viewer, imported, dataset, 1990)
    # COW has the Federal Republic in 1990: a state that no longer exists.
    assert [(d.country.iso3, d.reason) for d in result.only_imported] == [
        ("GFR", "A state that no longer exists (1955–1990); the entered data name today's states.")
    ]
    assert [d.country.iso3 for d in result.only_entered] == ["ITA"]
    assert result.only_entered[0].reason == "Not known."


def test_joins_and_departures_between_two_dates(imported, client_for, world):
    client = client_for(world.users.viewer)
    html = client.get(
        "/organizations/NATO/", {"changes_from": "1980-01-01", "changes_to": "1995-01-01"}
    ).content.decode()
    joined = html.split("Joined:</strong>")[1].split("</li>")[0]
    left = html.split("Left:</strong>")[1].split("</li>")[0]
    assert "Germany" in joined and "France" not in joined
    assert "none" in left
    bad = client.get("/organizations/NATO/", {"changes_from": "1995-01-01", "changes_to": "x"})
    assert bad.status_code == 200
    assert "Enter a valid date." in bad.content.decode()


@pytest.mark.parametrize("fmt", ["svg", "png", "csv"])
def test_the_chart_downloads(imported, client_for, world, fmt):
    response = client_for(world.users.partner).get(
        f"/analytics/organizations/NATO/membership.{fmt}"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="NATO-membership-history.{fmt}"'
    )
    body = response.content
    if fmt == "png":
        assert body[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(body[16:20], "big")
        assert width == 1600  # 8 inches at 200 dpi
    elif fmt == "svg":
        assert body.startswith(b"<?xml") and b"NATO: full members by year" in body
    else:
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["year", "full (entered)", "full (cow-igo-v3)"]
        by_year = {row[0]: row[1:] for row in rows[1:]}
        assert by_year["1989"] == ["3", "3"]
        assert by_year["1990"] == ["4", "4"]
        assert by_year["1993"] == ["4", "3"]


def test_downloads_need_a_role_and_a_known_format(imported, client, client_for, world):
    assert client.get("/analytics/organizations/NATO/membership.svg").status_code == 302
    norole = client_for(world.users.norole)
    assert norole.get("/analytics/organizations/NATO/membership.svg").status_code == 403
    viewer = client_for(world.users.viewer)
    assert viewer.get("/analytics/organizations/NATO/membership.gif").status_code == 404
    assert viewer.get("/analytics/organizations/NOPE/membership.svg").status_code == 404


def test_a_historical_country_page_shows_its_memberships_over_time(imported, client_for, world):
    html = client_for(world.users.viewer).get("/countries/DDR/").content.decode()
    assert "Historical state, 1954–1990" in html
    assert "Memberships over time" in html
    assert "German Democratic Republic: organizations it is a full member of, by year" in html
    assert "COW IGO v3.0: 1 spell" in html
    assert "TESTO" in html and "1988–1990" in html


def test_the_pages_cost_the_same_queries_with_more_spells(imported, client_for, world, tmp_path):
    client = client_for(world.users.viewer)

    def queries(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx)

    queries("/organizations/NATO/"), queries("/countries/FRA/")  # caches warmed
    before = (queries("/organizations/NATO/"), queries("/countries/FRA/"))
    igos = cowfiles.nato_like()
    for year in range(1994, 2010):  # sixteen more years, and France in and out of both IGOs
        igos["NATO"][2][year] = {"usa": 1, "france": year % 2, "germany": 1}
        igos["TESTO"][2][year] = {"russia": 1, "france": 3 - year % 2}
    cow.import_cow(cowfiles.write(tmp_path / "more", igos))
    assert (queries("/organizations/NATO/"), queries("/countries/FRA/")) == before
