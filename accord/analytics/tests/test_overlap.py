"""Overlap, bridges and shared organizations, checked by hand on small cases."""

import datetime

import numpy as np
import pytest

from accord.analytics import analysis, cow
from accord.registry import services
from accord.registry.models import Country, Organization

from . import cowfiles


def test_overlap_of_a_small_matrix_by_hand():
    # A: states 1, 2, 3; B: 2, 3, 4; C: none.
    matrix, columns = analysis.membership_matrix(
        [(10, 1), (10, 2), (10, 3), (20, 2), (20, 3), (20, 4)], [10, 20, 30]
    )
    assert columns == [1, 2, 3, 4]
    shared, jaccard = analysis.overlap(matrix)
    assert shared.tolist() == [[3, 2, 0], [2, 3, 0], [0, 0, 0]]
    # |A ∩ B| = 2, |A ∪ B| = 4.
    assert jaccard[0, 1] == pytest.approx(0.5)
    assert jaccard[0, 0] == 1.0 and jaccard[2, 2] == 0.0 and jaccard[0, 2] == 0.0
    assert np.allclose(jaccard, jaccard.T)
    assert analysis.bridges({1, 2, 3}, {2, 3, 4}) == {2, 3}


@pytest.fixture
def three(world):
    """Full members on 2020-01-01: X = FRA, RUS, CHN; Y = RUS, CHN, KAZ (KAZ left 2019-12-31,
    so not on the day); the world's OSCE too."""
    c = world.countries
    x = services.organization_create(actor=None, acronym="XO", name="X Org", kind="other")
    y = services.organization_create(actor=None, acronym="YO", name="Y Org", kind="other")
    day = datetime.date(2015, 1, 1)
    for org, iso3, valid_to in [
        (x, "FRA", None),
        (x, "RUS", None),
        (x, "CHN", None),
        (y, "RUS", None),
        (y, "CHN", None),
        (y, "KAZ", datetime.date(2019, 12, 31)),
        (y, "USA", None),
    ]:
        services.membership_create(
            actor=None,
            organization=org,
            country=c[iso3],
            status="full" if iso3 != "USA" else "observer",
            valid_from=day,
            valid_to=valid_to,
        )
    return x, y


@pytest.mark.django_db
def test_the_overlap_api_by_hand(three, client_for, world):
    client = client_for(world.users.viewer)
    body = client.get("/api/v1/analytics/overlap", {"orgs": "XO,yo", "as_of": "2020-01-01"}).json()
    assert [o["acronym"] for o in body["organizations"]] == ["XO", "YO"]
    # Observers do not count: Y has RUS and CHN (KAZ had left).
    assert [o["members"] for o in body["organizations"]] == [3, 2]
    assert body["shared"] == [[3, 2], [2, 2]]
    assert body["jaccard"] == [[1.0, 0.6667], [0.6667, 1.0]]
    before = client.get("/api/v1/analytics/overlap", {"orgs": "XO,YO", "as_of": "2019-06-01"})
    assert before.json()["shared"] == [[3, 2], [2, 3]]


@pytest.mark.django_db
def test_bridges_and_the_organizations_two_states_share(three, client_for, world):
    client = client_for(world.users.viewer)
    body = client.get("/api/v1/analytics/bridges", {"a": "XO", "b": "YO", "as_of": "2020-01-01"})
    assert body.json()["count"] == 2
    assert [s["iso3"] for s in body.json()["items"]] == ["CHN", "RUS"]
    pair = client.get(
        "/api/v1/analytics/state-pair", {"states": "RUS,CHN", "as_of": "2020-01-01"}
    ).json()
    # Both are full members of X and Y, and of the world's SCO and UN (its OSCE has no China).
    assert [o["acronym"] for o in pair["items"]] == ["SCO", "UN", "XO", "YO"]
    pair = client.get(
        "/api/v1/analytics/state-pair", {"states": "FRA,RUS", "as_of": "2020-01-01"}
    ).json()
    assert [o["acronym"] for o in pair["items"]] == ["OSCE", "UN", "XO"]


@pytest.mark.django_db
def test_the_overlap_of_a_data_set_counts_the_year(world, client_for, tmp_path):
    cow.import_cow(cowfiles.write(tmp_path, cowfiles.nato_like()))
    client = client_for(world.users.viewer)
    body = client.get(
        "/api/v1/analytics/overlap",
        {"orgs": "NATO,TESTO", "as_of": "1990-06-30", "source": "cow-igo-v3"},
    ).json()
    # 1990: NATO = USA, FRA, GFR, DEU; TESTO full = SUN, DDR (France is an associate).
    assert body["shared"] == [[4, 0], [0, 2]]
    bridges = client.get(
        "/api/v1/analytics/bridges",
        {"a": "NATO", "b": "TESTO", "as_of": "1990-01-01", "source": "cow-igo-v3"},
    ).json()
    assert bridges["count"] == 0
    assert Country.objects.get(iso3="GFR").is_historical


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("overlap", {"orgs": "OSCE"}, "orgs"),
        ("overlap", {"orgs": "OSCE,NOPE"}, "orgs"),
        ("overlap", {"orgs": ",".join(["OSCE"] * 61)}, "orgs"),
        ("overlap", {"orgs": "OSCE,UN", "source": "nope"}, "source"),
        ("overlap", {"orgs": "OSCE,UN", "as_of": "2020-13-01"}, "as_of"),
        ("bridges", {"a": "OSCE", "b": "NOPE"}, "b"),
        ("state-pair", {"states": "FRA"}, "states"),
        ("state-pair", {"states": "FRA,ZZZ"}, "states"),
    ],
)
@pytest.mark.django_db
def test_bad_requests_get_a_422_naming_the_field(world, client_for, path, params, field):
    response = client_for(world.users.viewer).get(f"/api/v1/analytics/{path}", params)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["query", field]


@pytest.mark.django_db
def test_the_overlap_page_and_its_downloads(three, client_for, world):
    client = client_for(world.users.viewer)
    query = {"orgs": "XO,YO", "as_of": "2020-01-01", "a": "XO", "b": "YO", "state_a": "FRA"}
    html = client.get("/analytics/overlap/", {**query, "state_b": "RUS"}).content.decode()
    assert "<svg" in html and "Shared full members on 2020-01-01" in html
    assert "2 states in both XO and YO:" in html
    assert "France and Russian Federation are both full members of 3 organizations:" in html
    wrong = client.get("/analytics/overlap/", {**query, "state_b": "ZZZ"}).content.decode()
    assert "No country with the code “ZZZ”." in wrong
    unknown = client.get("/analytics/overlap/", {"orgs": "XO,NOPE"}).content.decode()
    assert "No organization “NOPE”." in unknown
    rows = client.get("/analytics/overlap.csv", query).content.decode().splitlines()
    assert (
        rows[0]
        == "organization,members,shared with XO,shared with YO,Jaccard with XO,Jaccard with YO"
    )
    assert rows[1] == "XO,3,3,2,1.0,0.6667"
    png = client.get("/analytics/overlap.png", query)
    assert png.content[:4] == b"\x89PNG"
    # The page opens on the home organization and its partners the reader may see (the
    # partnership with the SCO is restricted: an editor sees it, a viewer does not).
    opened = client.get("/analytics/overlap/").content.decode()
    assert 'value="OSCE,UN"' in opened
    editor = client_for(world.users.editor).get("/analytics/overlap/").content.decode()
    assert 'value="OSCE,SCO,UN"' in editor
    assert Organization.objects.filter(acronym__in=["OSCE", "SCO", "UN"]).count() == 3


@pytest.mark.django_db
def test_the_analyses_are_for_the_home_organizations_staff(world, client_for):
    """A partner's focal point sees only what is shared with them: a landscape drawn from that
    would mislead, so the analyses answer 403 and are not in their menu."""
    partner = client_for(world.users.partner)
    for path in (
        "/analytics/",
        "/analytics/overlap/",
        "/analytics/neighbourhood/",
        "/analytics/network/",
        "/analytics/advantage/",
        "/analytics/overlap.csv",
    ):
        assert partner.get(path).status_code == 403, path
    for path in (
        "overlap?orgs=OSCE,UN",
        "bridges?a=OSCE&b=UN",
        "state-pair?states=FRA,RUS",
        "neighbourhood",
        "network",
        "advantage",
    ):
        assert partner.get(f"/api/v1/analytics/{path}").status_code == 403, path
    assert 'href="/analytics/"' not in partner.get("/").content.decode()
    viewer = client_for(world.users.viewer)
    assert 'href="/analytics/"' in viewer.get("/").content.decode()
    # Membership history is reference data: the partner reads it.
    assert partner.get("/api/v1/organizations/UN/membership-history").status_code == 200
