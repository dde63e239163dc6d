"""The whole COW IGO v3.0 data, as shipped with Accord (data/cow-igo-v3/): every IGO-year read
back through the API equals the source; a second run changes nothing."""

import csv
import gzip
import hashlib
import io
from collections import defaultdict
from pathlib import Path

import pytest

from accord.analytics import cow
from accord.analytics.demo import COW_DIRECTORY
from accord.analytics.models import SourceMembership
from accord.registry.models import Country, Organization

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "cow-igo-v3"


def source_counts() -> dict[str, dict[int, dict[str, int]]]:
    """ioname -> year -> counts of codes 1, 2, 3, straight from the IGO-year file."""
    with gzip.open(COW_DIRECTORY / "igo_year_formatv3.csv.gz", "rt", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        states = slice(header.index("year") + 1, header.index("sdate"))
        result: dict = defaultdict(dict)
        for row in reader:
            codes = row[states]
            result[row[0]][int(row[2])] = {
                "full": codes.count("1"),
                "associate": codes.count("2"),
                "observer": codes.count("3"),
            }
    return result


@pytest.mark.django_db
def test_the_whole_data_is_read_back_as_the_source_has_it(client_for, world):
    """One import (it takes seconds): the world's OSCE, UN and SCO are matched by acronym."""
    report = cow.import_cow(COW_DIRECTORY)
    assert (report.igos, report.years) == (534, (1816, 2014))
    assert report.organizations_matched == 3
    expected = source_counts()
    client = client_for(world.users.viewer)
    by_igo = dict(
        Organization.objects.filter(identifiers__scheme="cow-igo").values_list(
            "identifiers__value", "acronym"
        )
    )
    assert len(by_igo) == 534

    # Every IGO-year, through the API: full, associate and observer counts as in the file.
    for ioname, years in expected.items():
        response = client.get(
            f"/api/v1/organizations/{by_igo[ioname]}/membership-history",
            {"source": "cow-igo-v3", "from": min(years), "to": max(years)},
        )
        assert response.status_code == 200, response.content
        got = {
            item["year"]: {k: item[k] for k in ("full", "associate", "observer")}
            for item in response.json()["items"]
        }
        assert {year: got[year] for year in years} == years, ioname

    # The README's facts for 2014.
    def full(key, year):
        response = client.get(
            f"/api/v1/organizations/{key}/membership-history",
            {"source": "cow-igo-v3", "from": year, "to": year},
        )
        return response.json()["items"][0]["full"]

    assert [full(key, 2014) for key in ("OSCE", "UN", "SCO", "NATO", "COE", "LOAS")] == [
        55,
        193,
        6,
        28,
        47,
        21,
    ]

    # States that no longer exist are kept with their years, and keep their memberships.
    for key, first, last in [("DDR", 1954, 1990), ("SUN", 1922, 1991), ("YUG", 1918, 2002)]:
        country = Country.objects.get(iso3=key)
        assert (country.exists_from, country.exists_to) == (first, last)
        assert SourceMembership.objects.filter(country=country, organization__acronym="UN")
    response = client.get("/api/v1/organizations", {"identifier": "cow-igo:NATO"})
    assert [item["acronym"] for item in response.json()["items"]] == ["NATO"]
    assert response.json()["items"][0]["identifiers"] == ["cow-igo:NATO"]

    # A second run changes nothing.
    spells = SourceMembership.objects.count()
    history = (Organization.history.count(), Country.history.count())
    again = cow.import_cow(COW_DIRECTORY)
    assert not again.changed
    assert again.spells_kept == spells == report.spells_added
    assert (Organization.history.count(), Country.history.count()) == history


def test_the_shipped_copy_is_the_shared_data():
    if not SHARED.is_dir():
        pytest.skip(f"needs the shared data beside the project ({SHARED})")
    for path in sorted(SHARED.iterdir()):
        shipped = COW_DIRECTORY / path.name
        assert shipped.is_file(), path.name
        assert (
            hashlib.sha256(shipped.read_bytes()).digest()
            == hashlib.sha256(path.read_bytes()).digest()
        ), path.name


def test_the_readme_cites_the_source():
    text = (COW_DIRECTORY / "README.md").read_text(encoding="utf-8")
    assert "Pevehouse" in text and "doi:10.1177/0022343319881175" in text
    assert io.StringIO(text).readline().startswith("# Correlates of War")
