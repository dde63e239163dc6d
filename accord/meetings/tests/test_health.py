"""Engagement health (accord/meetings/health.py): the score on known cases, the same score in
SQL, the light as each role may see it, and the organization list's query budget."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.core.choices import Classification
from accord.meetings import health, services
from accord.meetings.health import assess
from accord.registry import services as registry
from accord.registry.models import Organization

# ---------------------------------------------------------------- known cases (pure)


def test_within_the_cadence_and_nothing_overdue_is_100_and_green():
    e = assess(days_since=200, cadence_days=365, last_format="staff_talks")
    assert (e.score, e.light) == (100, "green")
    assert e.explanation == (
        "Last meeting (Staff talks) 7 months ago, cadence 12 months; no open action."
    )


def test_staff_talks_14_months_ago_on_a_yearly_cadence_with_2_overdue_actions():
    # 426 days: 61 days (16 % of 365) late, so 16 points; 2 overdue actions, 20 points.
    e = assess(
        days_since=426,
        cadence_days=365,
        last_format="staff_talks",
        open_actions=3,
        overdue_actions=2,
    )
    assert e.score == 100 - 16 - 20 == 64
    assert e.light == "amber"
    assert e.label == "Needs attention"
    assert e.explanation == (
        "Last meeting (Staff talks) 14 months ago, cadence 12 months; "
        "2 overdue actions (1 more open)."
    )


def test_no_meeting_ever_held_and_no_series_says_so():
    e = assess(days_since=None, cadence_days=None, open_actions=1)
    assert e.score == 100 - health.MAX_RECENCY_PENALTY == 30
    assert e.light == "red"
    assert e.default_cadence and e.cadence_days == 365
    assert e.explanation == (
        "No meeting held yet, in no series: default cadence 12 months; 1 open action, none overdue."
    )


@pytest.mark.parametrize(
    ("days_since", "cadence", "overdue", "expected"),
    [
        (365, 365, 0, 100),  # on the day the cadence ends
        (366, 365, 0, 100),  # 0.27 % late: no whole point yet
        (730, 365, 0, 30),  # twice the cadence: the most the recency costs
        (5000, 365, 0, 30),
        (200, 182, 0, 91),  # six-monthly, 18 days (9 %) late
        (10, 365, 1, 90),
        (10, 365, 3, 70),
        (10, 365, 9, 70),  # overdue actions cost at most 30
        (5000, 365, 9, 0),
        (-3, 365, 0, 100),  # a meeting marked held ahead of time: not late
    ],
)
def test_score_on_known_cases(days_since, cadence, overdue, expected):
    e = assess(days_since=days_since, cadence_days=cadence, overdue_actions=overdue)
    assert e.score == expected


@pytest.mark.parametrize(
    ("score", "light"),
    [(100, "green"), (75, "green"), (74, "amber"), (40, "amber"), (39, "red"), (0, "red")],
)
def test_the_lights_thresholds(score, light):
    assert health.light(score) == light


def test_nothing_to_judge_has_no_score_and_no_light():
    e = assess(days_since=None, cadence_days=None, judged=False)
    assert (e.score, e.light, e.label) == (None, "none", "Nothing to judge")
    assert e.explanation.startswith("No partnership, series, meeting held or open action")


def test_the_explanation_is_translated():
    from django.utils import translation

    e = assess(days_since=426, cadence_days=365, last_format="staff_talks", overdue_actions=2)
    with translation.override("fr"):
        french = e.explanation
        label = e.label
    assert french != e.explanation
    assert "14" in french and "12" in french and "2" in french
    assert label != "Needs attention"


# ---------------------------------------------------------------- in the database


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def meeting(title, *, organizations, days, status="held", host=None, **fields):
    start = days_ago(days)
    return services.meeting_create(
        actor=None,
        title=title,
        format=fields.pop("format", "bilateral"),
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Europe/Vienna",
        host_organization=host,
        organizations=organizations,
        status=status,
        **fields,
    )


def action(title, *, organization, due_in, status="open", **fields):
    return services.action_create(
        actor=None,
        title=title,
        organization=organization,
        due=timezone.localdate() + datetime.timedelta(days=due_in),
        status=status,
        **fields,
    )


@pytest.fixture
def engaged(world):
    """UN: yearly series, staff talks 426 days ago, two overdue actions and one open.
    SCO (restricted partnership): a public meeting 800 days ago and a restricted one 30 days
    ago, a restricted overdue action. NATO: no partnership, nothing at all."""
    public = Classification.PUBLIC
    services.series_create(
        actor=None,
        title="OSCE–UN staff talks",
        format="staff_talks",
        cadence="FREQ=YEARLY",
        organizations=[world.osce, world.un],
        classification=public,
    )
    meeting(
        "Staff talks",
        organizations=[world.osce, world.un],
        days=426,
        format="staff_talks",
        classification=public,
    )
    # Planned, cancelled and later meetings are no "last meeting held".
    meeting("Planned talks", organizations=[world.un], days=-20, status="planned")
    meeting("Cancelled talks", organizations=[world.un], days=5, status="cancelled")
    action("Late one", organization=world.un, due_in=-10, classification=public)
    action("Late two", organization=world.un, due_in=-1, classification=public)
    action("In hand", organization=world.un, due_in=30, classification=public)
    action("Done", organization=world.un, due_in=-100, status="done", classification=public)
    # The SCO hosts the public one: a host counts as much as a participant.
    meeting("Old SCO visit", organizations=[], host=world.sco, days=800, classification=public)
    meeting(
        "RESTRICTED-SCO-TALKS",
        organizations=[world.sco],
        days=30,
        classification=Classification.RESTRICTED,
    )
    action(
        "RESTRICTED-SCO-ACTION",
        organization=world.sco,
        due_in=-5,
        classification=Classification.RESTRICTED,
    )
    nato = registry.organization_create(
        actor=None, acronym="NATO", name="North Atlantic Treaty Organization", kind="regional"
    )
    return nato


def engagement(user, organization):
    return health.engagement_of(user, organization)


def test_the_database_gives_the_known_case(world, engaged):
    e = engagement(world.users.editor, world.un)
    assert (e.days_since, e.cadence_days, e.default_cadence) == (426, 365, False)
    assert (e.open_actions, e.overdue_actions, e.last_format) == (3, 2, "staff_talks")
    assert (e.score, e.light) == (64, "amber")


def test_sql_and_python_agree_on_every_row(world, engaged):
    """The list sorts by the score computed in SQL; the page shows assess()'s: the same."""
    for user in (world.users.editor, world.users.viewer, world.users.partner):
        rows = health.annotate(Organization.objects.all(), user)
        scores = dict(
            health.annotate(Organization.objects.all(), user, only_score=True).values_list(
                "acronym", health.SCORE
            )
        )
        assert len(scores) == 4
        for row in rows:
            assert scores[row.acronym] == health.of_record(row).score, (user, row)


def test_the_home_organization_and_strangers_get_no_light(world, engaged):
    assert engagement(world.users.editor, world.osce).score is None
    assert engagement(world.users.editor, engaged).light == "none"


def test_a_restricted_meeting_does_not_change_a_viewers_light(world, engaged):
    editor = engagement(world.users.editor, world.sco)
    viewer = engagement(world.users.viewer, world.sco)
    # The editor sees the restricted meeting of 30 days ago and the restricted overdue action.
    assert (editor.days_since, editor.overdue_actions, editor.score) == (30, 1, 90)
    # The viewer sees the public visit of 800 days ago only (and no restricted partnership).
    assert (viewer.days_since, viewer.overdue_actions, viewer.score) == (800, 0, 30)
    assert viewer.light == "red" and editor.light == "green"
    assert viewer.default_cadence


def test_a_partner_counts_what_is_shared_with_it(world, engaged):
    un = world.un
    shared = meeting(
        "UN-SHARED",
        organizations=[un],
        days=10,
        classification=Classification.INTERNAL,
        shared_with=[un],
    )
    meeting("UN-NOT-SHARED", organizations=[un], days=2, classification=Classification.INTERNAL)
    assert engagement(world.users.partner, un).days_since == 10
    assert engagement(world.users.viewer, un).days_since == 2
    services.meeting_update(
        actor=None, meeting=shared, expected_version=None, shared_with=[world.sco]
    )
    assert engagement(world.users.partner, un).days_since == 426


def test_the_shortest_cadence_counts(world, engaged):
    services.series_create(
        actor=None,
        title="Co-ordination group",
        format="multilateral",
        cadence="FREQ=MONTHLY;INTERVAL=6",
        organizations=[world.un],
        classification=Classification.PUBLIC,
    )
    hidden = services.series_create(
        actor=None,
        title="Monthly restricted",
        format="bilateral",
        cadence="FREQ=MONTHLY",
        host_organization=world.un,
        classification=Classification.RESTRICTED,
    )
    assert engagement(world.users.viewer, world.un).cadence_days in (181, 182, 183, 184)
    assert engagement(world.users.editor, world.un).cadence_days in (28, 29, 30, 31)
    services.series_delete(actor=None, series=hidden)
    assert engagement(world.users.editor, world.un).cadence_days in (181, 182, 183, 184)


# ---------------------------------------------------------------- pages and API


def cell_of(html: str, acronym: str) -> str:
    """The engagement cell of an organization's row on the list."""
    row = html.split(f'<a href="/organizations/{acronym}/">{acronym}</a>', 1)[1]
    row = row.split("</tr>", 1)[0]
    return row.rsplit("<td", 1)[1]


def test_the_list_shows_each_role_its_own_light(world, engaged, client_for):
    for user, expected in ((world.users.editor, "90"), (world.users.viewer, "30")):
        html = client_for(user).get("/organizations/").content.decode()
        assert "Engagement" in html
        cell = cell_of(html, "SCO")
        assert f">{expected}<" in cell, (user, cell)
    assert "RESTRICTED-SCO" not in html


def test_a_partners_focal_point_sees_no_light(world, engaged, client_for):
    """The light is the home organization's judgement: counted from the few records shared
    with one partner, it would call every other partner neglected."""
    client = client_for(world.users.partner)
    html = client.get("/organizations/").content.decode()
    assert "Engagement" not in html and "UN" in html
    assert 'id="engagement-h"' not in client.get("/organizations/UN/").content.decode()
    response = client.get("/api/v1/organizations/UN/engagement")
    assert response.status_code == 403
    assert "staff" in response.json()["detail"]


def row_order(html: str, acronyms) -> list[str]:
    body = html[html.find("<tbody") :]
    return sorted(acronyms, key=lambda a: body.find(f'<a href="/organizations/{a}/">'))


def test_the_list_sorts_by_engagement_with_the_unjudged_last(world, engaged, client_for):
    client = client_for(world.users.editor)
    acronyms = ("OSCE", "UN", "SCO", "NATO")
    worst_first = row_order(
        client.get("/organizations/?sort=engagement").content.decode(), acronyms
    )
    best_first = row_order(
        client.get("/organizations/?sort=-engagement").content.decode(), acronyms
    )
    # UN 64, SCO 90 (editor); the home and NATO have no score and come last both ways.
    assert worst_first[:2] == ["UN", "SCO"] and set(worst_first[2:]) == {"OSCE", "NATO"}
    assert best_first[:2] == ["SCO", "UN"] and set(best_first[2:]) == {"OSCE", "NATO"}


def test_the_organization_page_explains_the_light(world, engaged, client_for):
    html = client_for(world.users.editor).get("/organizations/UN/").content.decode()
    assert "Needs attention" in html
    assert "Last meeting (Staff talks) 14 months ago, cadence 12 months" in html
    assert "Staff talks</a>" in html  # the last meeting held, linked
    home = client_for(world.users.editor).get("/organizations/OSCE/").content.decode()
    assert 'id="engagement-h"' not in home


def test_the_organization_page_hides_a_restricted_last_meeting(world, engaged, client_for):
    viewer = client_for(world.users.viewer).get("/organizations/SCO/").content.decode()
    assert "RESTRICTED-SCO" not in viewer
    assert "Old SCO visit" in viewer and "At risk" in viewer


def test_the_api_gives_the_engagement(world, engaged, client_for):
    response = client_for(world.users.viewer).get("/api/v1/organizations/SCO/engagement")
    assert response.status_code == 200
    body = response.json()
    assert body["score"] == 30 and body["light"] == "red"
    assert body["days_since_last_meeting"] == 800 and body["overdue_actions"] == 0
    assert body["default_cadence"] is True and body["cadence_days"] == 365
    un = client_for(world.users.editor).get("/api/v1/organizations/UN/engagement").json()
    assert un["score"] == 64 and un["last_meeting_format"] == "staff_talks"
    assert "14 months" in un["explanation"]
    missing = client_for(world.users.editor).get("/api/v1/organizations/NOPE/engagement")
    assert missing.status_code == 404
    assert (
        client_for(world.users.norole).get("/api/v1/organizations/UN/engagement").status_code == 403
    )


def test_the_api_description_documents_the_route(client_for, world):
    schema = client_for(world.users.viewer).get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/organizations/{key}/engagement"]["get"]
    assert "what the caller may see" in operation["description"]


def test_the_list_export_holds_the_score(world, engaged, client_for):
    response = client_for(world.users.editor).get("/organizations/export/?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_acronym = {row["Acronym"]: row for row in rows}
    assert by_acronym["UN"]["Engagement"] == "64"
    assert by_acronym["NATO"]["Engagement"] == ""


# ---------------------------------------------------------------- query budget


def grow(world, n, made):
    """`n` partner organizations each with a held meeting, a series and an overdue action."""
    while len(made) < n:
        i = len(made)
        org = registry.organization_create(
            actor=None, acronym=f"Q{i:03d}", name=f"Partner {i:03d}", kind="other"
        )
        services.series_create(
            actor=None,
            title=f"Series {i}",
            format="bilateral",
            cadence="FREQ=YEARLY" if i % 2 else "FREQ=MONTHLY;INTERVAL=6",
            organizations=[org],
            classification=Classification.PUBLIC,
        )
        meeting(f"Meeting {i}", organizations=[org], days=100 + i, classification="public")
        action(f"Action {i}", organization=org, due_in=-i - 1, classification="public")
        made.append(org)


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_the_list_costs_the_same_with_3_or_30_organizations_with_meetings(world, client_for, role):
    client = client_for(getattr(world.users, role))
    made = []
    counts = {}
    urls = ["/organizations/?per_page=200", "/organizations/?per_page=200&sort=-engagement"]
    for url in urls:
        client.get(url)
    for n in (3, 30):
        grow(world, n, made)
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200
            html = response.content.decode()
            assert all(f">{o.acronym}</a>" in html for o in made)
            counts[url, n] = len(captured.captured_queries)
    for url in urls:
        assert counts[url, 3] == counts[url, 30], counts


def test_the_organization_page_and_api_cost_the_same_at_any_size(world, client_for):
    client = client_for(world.users.viewer)
    un = world.un
    made = []
    counts = {}
    urls = ["/organizations/UN/", "/api/v1/organizations/UN/engagement"]
    for url in urls:
        client.get(url)
    for n in (3, 30):
        while len(made) < n:
            i = len(made)
            made.append(
                meeting(f"UN {i}", organizations=[un], days=10 + i, classification="public")
            )
            action(f"UN action {i}", organization=un, due_in=-1, classification="public")
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts[url, n] = len(captured.captured_queries)
    assert engagement(world.users.viewer, un).overdue_actions == 30
    for url in urls:
        assert counts[url, 3] == counts[url, 30], counts
