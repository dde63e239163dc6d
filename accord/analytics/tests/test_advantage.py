"""Comparative advantage by hand: mandates, meetings, practices and actions on a theme, each a
point, through the policy."""

import csv
import datetime
import io

import pytest

from accord.analytics import analysis
from accord.core.choices import Classification
from accord.knowledge import services as knowledge
from accord.meetings import services as meetings
from accord.registry import services as registry
from accord.taxonomy.models import Theme


def test_cells_count_each_kind_and_rank_on_a_theme():
    evidence = [
        ("mandate", 1, 10, 1, "A"),
        ("meeting", 1, 10, 5, "M"),
        ("meeting", 2, 10, 5, "M"),
        ("meeting", 2, 10, 6, "N"),
        ("practice", 2, 11, 7, "P"),
        ("action", 3, 10, 8, "X"),
    ]
    cells = analysis.advantage(evidence)
    assert cells[(1, 10)] == {"mandate": 1, "meeting": 1, "practice": 0, "action": 0, "score": 2}
    assert cells[(2, 10)]["score"] == 2 and cells[(2, 11)]["practice"] == 1
    # Equal scores: more meetings first, then the id; the home (1) can be left out.
    assert [o for o, _c in analysis.best_on(cells, 10)] == [2, 1, 3]
    assert [o for o, _c in analysis.best_on(cells, 10, exclude={1})] == [2, 3]


def at(y, m, d):
    return datetime.datetime(y, m, d, 9, tzinfo=datetime.UTC)


@pytest.fixture
def evidence(world):
    """On counter-terrorism: the UN's mandate; a public OSCE–UN meeting and a restricted
    OSCE–SCO one; a public practice of the SCO; an action the UN owes from the public meeting."""
    terror = Theme.objects.get(slug="counter-terrorism")
    registry.organization_update(
        actor=None, organization=world.un, expected_version=None, mandate_themes=[terror]
    )

    def meeting(title, organizations, classification):
        return meetings.meeting_create(
            actor=None,
            title=title,
            format="bilateral",
            start=at(2025, 3, 1),
            end=at(2025, 3, 1) + datetime.timedelta(hours=2),
            time_zone="Europe/Vienna",
            host_organization=world.osce,
            organizations=organizations,
            themes=[terror],
            status="held",
            classification=classification,
        )

    public = meeting("CT talks", [world.un], Classification.PUBLIC)
    meeting("SECRET-CT", [world.sco], Classification.RESTRICTED)
    knowledge.practice_create(
        actor=None,
        kind="best_practice",
        title="SCO counter-terrorism centre",
        summary="How it works",
        source_organization=world.sco,
        date=datetime.date(2025, 4, 1),
        themes=[terror],
        classification=Classification.PUBLIC,
    )
    meetings.action_create(
        actor=None,
        meeting=public,
        title="UN to send its CT compendium",
        organization=world.un,
        classification=Classification.PUBLIC,
    )
    return terror


def cells(client, **params):
    body = client.get(
        "/api/v1/analytics/advantage", {"from": "2025-01-01", "to": "2025-12-31", **params}
    ).json()
    return {(i["organization"], i["theme"]): i for i in body["items"]}


@pytest.mark.django_db
def test_the_api_counts_what_the_reader_may_see(evidence, world, client_for):
    viewer = cells(client_for(world.users.viewer))
    un = viewer[("UN", "counter-terrorism")]
    assert (un["mandate"], un["meetings"], un["practices"], un["actions"], un["score"]) == (
        1,
        1,
        0,
        1,
        3,
    )
    assert viewer[("OSCE", "counter-terrorism")]["meetings"] == 1
    assert viewer[("SCO", "counter-terrorism")]["practices"] == 1
    assert viewer[("SCO", "counter-terrorism")]["meetings"] == 0  # the restricted one
    editor = cells(client_for(world.users.editor))
    assert editor[("SCO", "counter-terrorism")]["meetings"] == 1
    assert editor[("OSCE", "counter-terrorism")]["meetings"] == 2
    ranked = (
        client_for(world.users.viewer)
        .get(
            "/api/v1/analytics/advantage",
            {"theme": "counter-terrorism", "from": "2025-01-01", "to": "2025-12-31"},
        )
        .json()
    )
    # Who to work with: the home (OSCE) left out, the UN first.
    assert [i["organization"] for i in ranked["items"]] == ["UN", "SCO"]


@pytest.mark.django_db
def test_the_page_shows_the_evidence_behind_a_cell(evidence, world, client_for):
    client = client_for(world.users.viewer)
    query = {"start": "2025-01-01", "end": "2025-12-31", "theme": "counter-terrorism"}
    html = client.get("/analytics/advantage/", {**query, "organization": "UN"}).content.decode()
    assert "Who to work with on Countering terrorism" in html
    assert "The evidence: UN on Countering terrorism" in html
    assert "CT talks" in html and "UN to send its CT compendium" in html
    assert "Its mandate covers the theme." in html
    assert (
        "SECRET-CT"
        not in client.get(
            "/analytics/advantage/", {**query, "organization": "SCO"}
        ).content.decode()
    )
    rows = list(
        csv.reader(io.StringIO(client.get("/analytics/advantage.csv", query).content.decode()))
    )
    assert rows[0] == [
        "organization",
        "theme",
        "score",
        "mandate",
        "meetings",
        "practices",
        "actions",
    ]
    assert ["UN", "counter-terrorism", "3", "1", "1", "0", "1"] in rows
    assert client.get("/analytics/advantage.png", query).content[:4] == b"\x89PNG"
    bad = client.get("/api/v1/analytics/advantage", {"theme": "nope"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "theme"]


@pytest.mark.django_db
def test_mandate_themes_are_edited_through_the_api(world, client_for):
    client = client_for(world.users.editor)
    un = client.get("/api/v1/organizations/UN").json()
    response = client.patch(
        "/api/v1/organizations/UN",
        {"version": un["version"], "mandate_themes": ["elections", "human-rights"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["mandate_themes"] == ["elections", "human-rights"]
    wrong = client.patch(
        "/api/v1/organizations/UN",
        {"version": response.json()["version"], "mandate_themes": ["nope"]},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "mandate_themes"]
