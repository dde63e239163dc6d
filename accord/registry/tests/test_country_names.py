"""Country and organization names: found by former and common names, corrected facts with
their source, and names in the reader's language."""

import html
import re
import textwrap

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.importers.countries import (
    CORRECTIONS_FILE,
    CorrectionsError,
    load_countries,
    read_corrections,
)
from accord.registry import services
from accord.registry.models import Country, Membership

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def listed_countries(response) -> list[str]:
    """ISO codes of the country list's rows, in order."""
    return re.findall(r'href="/countries/([A-Z]{3})/"', response.content.decode())


@pytest.fixture
def partners(world):
    services.organization_create(
        actor=None,
        acronym="LAS",
        name="League of Arab States",
        kind="regional",
    )
    services.organization_create(
        actor=None,
        acronym="OIC",
        name="Organisation of Islamic Cooperation",
        former_names=["Organization of the Islamic Conference"],
        kind="regional",
    )
    services.organization_create(
        actor=None,
        acronym="OCEMN",
        name="Organisation de coopération économique de la mer Noire",
        kind="regional",
    )
    osce = world.osce
    services.organization_update(
        actor=None,
        organization=osce,
        expected_version=osce.version,
        former_names=["Conference on Security and Co-operation in Europe (CSCE)"],
    )
    return world


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(
    "term, iso3",
    [
        ("Turkey", "TUR"),
        ("turkiye", "TUR"),
        ("TÜRKIYE", "TUR"),
        ("Russia", "RUS"),
        ("Iran", "IRN"),
        ("Czech Republic", "CZE"),
        ("Macedonia", "MKD"),
        ("Swaziland", "SWZ"),
        ("Holland", "NLD"),
        ("Ivory Coast", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Burma", "MMR"),
        ("Cape Verde", "CPV"),
        ("East Timor", "TLS"),
        ("Moldavia", "MDA"),
        ("Byelorussia", "BLR"),
        ("Belarus", "BLR"),
        ("Kirghizia", "KGZ"),
        ("Германия", "DEU"),
        ("Allemagne", "DEU"),
        ("deu", "DEU"),
    ],
)
def test_country_list_finds_former_common_and_translated_names(world, client_for, term, iso3):
    client = client_for(world.users.viewer)
    page = client.get("/countries/", {"q": term, "per_page": 200})
    assert page.status_code == 200
    assert iso3 in listed_countries(page), f"{term!r} did not find {iso3}"
    api = client.get("/api/v1/countries", {"search": term, "limit": 500})
    assert api.status_code == 200
    assert iso3 in [row["iso3"] for row in api.json()["items"]]


def test_a_search_does_not_find_everything(world, client_for):
    client = client_for(world.users.viewer)
    found = listed_countries(client.get("/countries/", {"q": "Turkey", "per_page": 200}))
    assert found == ["TUR"]
    api = client.get("/api/v1/countries", {"search": "Swaziland"}).json()
    assert [row["iso3"] for row in api["items"]] == ["SWZ"]


@pytest.mark.parametrize(
    "term, acronym",
    [
        ("CSCE", "OSCE"),
        ("Conference on Security", "OSCE"),
        ("Arab League", "LAS"),
        ("Islamic Conference", "OIC"),
        ("Organisation of the Islamic Conference", "OIC"),  # words of its name and former name
        ("Islamic Union", None),
        ("cooperation economique", "OCEMN"),
        ("COOPÉRATION", "OCEMN"),
    ],
)
def test_organization_search_reads_former_names_words_and_accents(
    partners, client_for, term, acronym
):
    client = client_for(partners.users.viewer)
    page = text(client.get("/organizations/", {"q": term, "per_page": 200}))
    api = client.get("/api/v1/organizations", {"search": term, "limit": 500}).json()
    found = [row["acronym"] for row in api["items"]]
    if acronym is None:
        assert found == []
        assert 'href="/organizations/' not in page.split("<table", 1)[-1].split("</table>")[0]
    else:
        assert acronym in found
        assert f"/organizations/{acronym}/" in page


def test_search_names_follow_an_edit(world, client_for):
    """The search column is kept by the model, whoever saves: an edited name is found."""
    austria = world.countries["AUT"]
    services.country_update(
        actor=world.users.editor,
        country=austria,
        expected_version=austria.version,
        name="Österreich-Test",
    )
    client = client_for(world.users.viewer)
    assert "AUT" in listed_countries(client.get("/countries/", {"q": "osterreich-test"}))


@pytest.mark.parametrize("term", ["%", "_", "  ", "'", "\\", "x" * 200, "Côte\u0301"])
def test_odd_search_terms_are_answered(world, client_for, term):
    client = client_for(world.users.viewer)
    assert client.get("/countries/", {"q": term}).status_code == 200
    assert client.get("/api/v1/countries", {"search": term}).status_code == 200
    assert client.get("/api/v1/organizations", {"search": term}).status_code == 200
    if term == "%":
        assert listed_countries(client.get("/countries/", {"q": term})) == []


# ---------------------------------------------------------------- corrections


def test_corrections_are_applied_on_load_and_shown_with_their_source(world, client_for):
    kazakhstan = Country.objects.get(iso3="KAZ")
    assert kazakhstan.capital == "Astana"
    assert kazakhstan.fact_sources["capital"]["url"].startswith("https://")
    client = client_for(world.users.viewer)
    page = text(client.get("/countries/KAZ/"))
    facts = page[page.index('id="facts-h"') : page.index('id="neighbours-h"')]
    assert "Astana" in facts and "Nur-Sultan" not in facts.split("Source:")[0].split("Named")[0]
    assert "Source:" in facts and "The Independent" in facts and "checked" in facts
    api = client.get("/api/v1/countries/KAZ").json()
    assert api["capital"] == "Astana"
    assert api["fact_sources"]["capital"]["title"].startswith("The Independent")


def test_palestine_shows_no_capital_as_settled_fact(world, client_for):
    palestine = Country.objects.get(iso3="PSE")
    assert palestine.capital == "" and palestine.capital_lat is None
    client = client_for(world.users.viewer)
    page = text(client.get("/countries/PSE/"))
    facts = page[page.index('id="facts-h"') : page.index('id="neighbours-h"')]
    assert "Not shown as settled fact" in facts
    assert "final-status negotiations" in facts and "Ramallah" in facts
    assert "un.org" in facts


def test_corrections_are_reapplied_and_a_user_edit_drops_the_source(world, client_for):
    kazakhstan = Country.objects.get(iso3="KAZ")
    Country.objects.filter(pk=kazakhstan.pk).update(capital="Nur-Sultan")
    load_countries()  # every load applies the list again
    kazakhstan.refresh_from_db()
    assert kazakhstan.capital == "Astana"
    assert kazakhstan.history.first().history_change_reason.startswith("Corrected capital")
    versions = kazakhstan.version
    load_countries()  # nothing to correct: no new version, no new entry
    kazakhstan.refresh_from_db()
    assert kazakhstan.version == versions
    services.country_update(
        actor=world.users.editor,
        country=kazakhstan,
        expected_version=kazakhstan.version,
        capital="Astana (city)",
    )
    page = text(client_for(world.users.viewer).get("/countries/KAZ/"))
    assert "Astana (city)" in page and "The Independent" not in page


def write(tmp_path, body):
    path = tmp_path / "corrections.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_SOURCE = """\
    source:
      title: A title
      url: https://example.org/
      checked: 2026-01-01
    note: A note."""


@pytest.mark.parametrize(
    "entry, message",
    [
        (f"  - country: XXX\n    field: capital\n    value: X\n{GOOD_SOURCE}", "“XXX”"),
        (f"  - country: KAZ\n    field: population\n    value: 1\n{GOOD_SOURCE}", "“population”"),
        ("  - country: KAZ\n    field: capital\n    value: Astana\n    note: A note.", "no source"),
        (
            "  - country: KAZ\n    field: capital\n    value: Astana\n    source: {title: T}\n"
            "    note: n",
            "no url",
        ),
        (f"  - country: KAZ\n    field: capital_lat\n    value: north\n{GOOD_SOURCE}", "a number"),
        (f"  - country: KAZ\n    field: capital_lat\n    value: 91\n{GOOD_SOURCE}", "between"),
    ],
)
def test_a_malformed_corrections_file_is_refused_naming_the_entry(db, tmp_path, entry, message):
    path = write(tmp_path, "corrections:\n" + entry.replace("    ", "    ", 1) + "\n")
    with pytest.raises(CorrectionsError) as refused:
        read_corrections(path)
    assert message in str(refused.value)
    assert "line 2" in str(refused.value) and "entry 1" in str(refused.value)
    before = Country.objects.get(iso3="KAZ").capital
    with pytest.raises(CorrectionsError):
        load_countries(corrections_path=path)
    assert Country.objects.get(iso3="KAZ").capital == before


def test_the_shipped_corrections_file_is_valid():
    corrections = read_corrections(CORRECTIONS_FILE)
    assert {(c.country, c.field) for c in corrections} >= {("KAZ", "capital"), ("PSE", "capital")}


def test_the_load_command_reports_a_bad_file(db, tmp_path):
    path = write(tmp_path, "corrections: 3\n")
    with pytest.raises(CorrectionsError, match="expected a list"):
        load_countries(corrections_path=path)


# ---------------------------------------------------------------- names in the reader's language


def test_russian_pages_show_country_and_region_names_in_russian(world, client_for):
    client = client_for(world.users.viewer)
    page = text(client.get("/countries/DEU/", **RU))
    assert "<h1" in page and "Германия" in page
    assert "Европа" in page and "Западная Европа" in page
    assert "<title>Австрия</title>" in page  # map tooltip of a neighbour
    listing = text(client.get("/countries/", {"q": "Germany"}, **RU))
    assert "Германия" in listing and "Европа" in listing
    assert '<option value="Europe">Европа</option>' in listing
    organization = text(client.get("/organizations/OSCE/", **RU))
    assert "Австрия" in organization  # headquarters country
    french = text(client.get("/countries/DEU/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Allemagne" in french and "Europe de l’Ouest" in french


def test_the_api_keeps_english_names(world, client_for):
    client = client_for(world.users.viewer)
    row = client.get("/api/v1/countries/DEU", **RU).json()
    assert row["name"] == "Germany" and row["region"] == "Europe"


def test_a_translated_country_list_is_sorted_as_shown(world, client_for):
    client = client_for(world.users.viewer)
    params = {"region": "Europe", "per_page": 200}
    english = listed_countries(client.get("/countries/", params))
    russian = listed_countries(client.get("/countries/", params, **RU))
    assert english.index("ALB") < english.index("AUT")  # Albania, Austria
    assert russian.index("AUT") < russian.index("ALB")  # Австрия, Албания
    assert sorted(english) == sorted(russian)


def test_a_translated_list_costs_the_same_queries_at_5_and_200_rows(world, client_for):
    members = set(world.osce.memberships.values_list("country_id", flat=True))
    Membership.objects.bulk_create(
        Membership(organization=world.osce, country=country, status="full")
        for country in Country.objects.exclude(pk__in=members)[:150]
    )
    client = client_for(world.users.viewer)
    counts = {}
    for url in ("/countries/", "/organizations/OSCE/"):
        client.get(url, **RU)  # warm per-process caches
        for size in (5, 200):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, {"per_page": size, "m-per_page": size}, **RU)
            assert response.status_code == 200
            counts[url, size] = len(captured.captured_queries)
    assert counts["/countries/", 5] == counts["/countries/", 200], counts
    assert counts["/organizations/OSCE/", 5] == counts["/organizations/OSCE/", 200], counts
