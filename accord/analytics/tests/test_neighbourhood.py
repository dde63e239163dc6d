"""The spillover neighbourhood, by hand: states outside the home organization's area that
border it by land, their organizations, and the partnerships the reader may see."""

import csv
import io

import pytest

from accord.analytics import analysis


def test_the_neighbourhood_of_a_small_map_by_hand():
    # Members 1, 2; 3 borders 1 and 2; 4 borders 3 only; 2 borders 1 (inside).
    borders = [(1, 3), (3, 1), (2, 3), (3, 4), (1, 2)]
    assert analysis.neighbourhood({1, 2}, borders) == {3: {1, 2}}
    assert analysis.neighbourhood(set(), borders) == {}
    assert analysis.neighbourhood({3}, borders) == {1: {3}, 2: {3}, 4: {3}}


def item(body, iso3):
    return next(i for i in body["items"] if i["iso3"] == iso3)


@pytest.mark.django_db
def test_the_api_names_neighbours_their_organizations_and_visible_partnerships(world, client_for):
    viewer = client_for(world.users.viewer).get("/api/v1/analytics/neighbourhood").json()
    assert viewer["home"] == "OSCE" and viewer["members"] == 5
    codes = {i["iso3"] for i in viewer["items"]}
    # Members are never neighbours; China borders Kazakhstan and Russia; Mexico the USA.
    assert not codes & {"AUT", "FRA", "RUS", "KAZ", "USA"}
    assert {"CHN", "MEX", "DEU", "MNG"} <= codes
    china = item(viewer, "CHN")
    assert set(china["borders"]) == {"KAZ", "RUS"}
    # The OSCE–SCO partnership is restricted: a viewer sees the SCO as no partner.
    assert {o["acronym"]: o["partnership"] for o in china["organizations"]} == {
        "SCO": None,
        "UN": "active",
    }
    assert item(viewer, "MEX")["organizations"] == []
    editor = client_for(world.users.editor).get("/api/v1/analytics/neighbourhood").json()
    assert {o["acronym"]: o["partnership"] for o in item(editor, "CHN")["organizations"]} == {
        "SCO": "active",
        "UN": "active",
    }
    # Before Kazakhstan joined (1992-01-30), China bordered the area through Russia only.
    before = client_for(world.users.viewer).get(
        "/api/v1/analytics/neighbourhood", {"as_of": "1991-06-01"}
    )
    assert item(before.json(), "CHN")["borders"] == ["RUS"]
    assert "KAZ" in {i["iso3"] for i in before.json()["items"]}


@pytest.mark.django_db
def test_the_page_its_map_and_downloads(world, client_for):
    client = client_for(world.users.viewer)
    html = client.get("/analytics/neighbourhood/").content.decode()
    assert "Spillover neighbourhood" in html
    assert 'data-iso3="CHN"' in html and 'class="partner" data-iso3="CHN"' in html
    assert 'class="member" data-iso3="FRA"' in html
    assert 'class="shared" data-iso3="MEX"' in html
    svg = client.get("/analytics/neighbourhood.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert (
        svg.content.startswith(b"<svg") and b"<path" in svg.content and b"<use" not in svg.content
    )
    rows = list(
        csv.reader(io.StringIO(client.get("/analytics/neighbourhood.csv").content.decode()))
    )
    assert rows[0] == ["iso3", "state", "borders", "organizations", "partnered by the home"]
    china = next(r for r in rows if r[0] == "CHN")
    assert china[2:] == ["KAZ RUS", "SCO UN", "UN"]
    assert client.get("/analytics/neighbourhood.gif").status_code == 404
    bad = client.get("/api/v1/analytics/neighbourhood", {"source": "x"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "source"]
