"""The meetings API as a client uses it: round trips, times, versions, filters, bad input."""

import datetime
import json

import pytest

from accord.meetings.models import Action, AgendaItem, Meeting, Outcome, Series

from .conftest import error_fields, patch, post


@pytest.fixture
def editor(world, client_for):
    return client_for(world.users.editor)


def new_meeting(**extra):
    return {
        "title": "OSCE–UN high-level meeting",
        "format": "high_level",
        "start": "2025-01-15T10:00",
        "end": "2025-01-15T12:30",
        "time_zone": "Europe/Vienna",
        "place": "Vienna",
        "host_organization": "OSCE",
        "organizations": ["OSCE", "UN"],
        "themes": ["human-rights", "counter-terrorism"],
        "phases": ["early_warning"],
        "classification": "public",
        **extra,
    }


def test_a_meeting_round_trip(world, mw, editor):
    body = new_meeting(participants=[{"person": world.shared_person.pk, "attendance": "invited"}])
    response = post(editor, "/api/v1/meetings", body)
    assert response.status_code == 201, response.content
    created = response.json()
    # A naive time is read in the meeting's time zone and given back with its offset.
    assert created["start"] == "2025-01-15T10:00:00+01:00"
    assert created["end"] == "2025-01-15T12:30:00+01:00"
    meeting = Meeting.objects.get(pk=created["id"])
    assert meeting.start == datetime.datetime(2025, 1, 15, 9, tzinfo=datetime.UTC)
    assert [o["acronym"] for o in created["organizations"]] == ["OSCE", "UN"]
    assert {t["slug"] for t in created["themes"]} == {"human-rights", "counter-terrorism"}
    assert created["participants"][0]["person"]["name"] == "Una Shared"
    assert created["version"] == 1 and created["agenda_items"] == []
    url = f"/api/v1/meetings/{created['id']}"
    # An offset is an instant: 16:00 in New York is 22:00 in Vienna.
    response = patch(
        editor,
        url,
        {"version": 1, "start": "2025-01-15T16:00:00-05:00", "end": "2025-01-15T23:00:00Z"},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["start"], response.json()["end"]) == (
        "2025-01-15T22:00:00+01:00",
        "2025-01-16T00:00:00+01:00",
    )
    response = patch(editor, url, {"version": 2, "time_zone": "America/New_York"})
    assert response.json()["start"] == "2025-01-15T16:00:00-05:00"
    assert response.json()["version"] == 3
    response = patch(editor, url, {"version": 3, "participants": None, "themes": None})
    assert response.json()["participants"] == [] and response.json()["themes"] == []
    assert editor.delete(f"{url}?version=1").status_code == 409
    assert editor.delete(f"{url}?version=4").status_code == 204
    assert editor.get(url).status_code == 404


def test_july_in_vienna_is_two_hours_ahead(world, mw, editor):
    response = post(
        editor,
        "/api/v1/meetings",
        new_meeting(start="2025-07-15T10:00", end="2025-07-15T11:00"),
    )
    assert response.json()["start"] == "2025-07-15T10:00:00+02:00"
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.start.astimezone(datetime.UTC).hour == 8


def test_a_meeting_in_a_series_takes_its_defaults(world, mw, editor):
    response = post(
        editor,
        "/api/v1/meetings",
        {"title": "Talks", "series": mw.series.pk, "start": "2025-05-05T09:00"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["format"], body["time_zone"]) == ("staff_talks", "Europe/Vienna")
    assert body["end"] == "2025-05-05T11:00:00+02:00"  # the series' two hours
    assert body["series"] == {"id": mw.series.pk, "title": "OSCE–UN staff talks"}


def test_a_stale_version_is_409_with_the_current_version(world, mw, editor):
    url = f"/api/v1/meetings/{mw.public.pk}"
    assert patch(editor, url, {"version": 1, "title": "First"}).status_code == 200
    response = patch(editor, url, {"version": 1, "title": "Second"})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert "title" in response.json()["changed_fields"]
    assert Meeting.objects.get(pk=mw.public.pk).title == "First"
    url = f"/api/v1/actions/{mw.action.pk}"
    assert patch(editor, url, {"version": 7, "status": "done"}).status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2025-03-30T02:30"}, "start"),  # the clocks skip 02:00–03:00 in Vienna
        ({"start": "15/01/2025 10:00"}, "start"),
        ({"start": 1736931600}, "start"),
        ({"start": "2025-01-15T10:00", "end": "2025-01-15T09:00"}, "end"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": None}, "time_zone"),
        ({"host_organization": "NOPE"}, "host_organization"),
        ({"organizations": ["UN", "NOPE"]}, "organizations"),
        ({"themes": ["astrology"]}, "themes"),
        ({"phases": ["peace"]}, "phases"),
        ({"online_link": "javascript:alert(1)"}, "online_link"),
        ({"participants": [{"person": 999999}]}, "participants"),
        ({"format": "picnic"}, "format"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "Bell\x07"}, "title"),
        ({"minutes": "m" * 1_000_000}, "minutes"),
        ({"series": 99999999999999999999}, "series"),
        ({"classification": "secret"}, "classification"),
    ],
)
def test_bad_meeting_input_is_a_422_naming_the_field(world, mw, editor, change, field):
    response = post(editor, "/api/v1/meetings", new_meeting(**change))
    assert response.status_code == 422, response.content[:300]
    assert field in error_fields(response)
    assert not Meeting.objects.filter(title=new_meeting(**change)["title"]).exists()


def test_a_meeting_needs_a_time_zone_and_a_format_without_a_series(world, mw, editor):
    body = {"title": "Bare", "start": "2025-01-15T10:00"}
    assert error_fields(post(editor, "/api/v1/meetings", body)) == ["time_zone"]
    body["time_zone"] = "UTC"
    assert error_fields(post(editor, "/api/v1/meetings", body)) == ["format"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", None),
        ("start", None),
        ("format", None),
        ("status", None),
        ("classification", None),
        ("is_sample", None),
        ("title", ""),
        ("online_link", "ftp://x.org"),
    ],
)
def test_a_patch_that_cannot_be_is_a_422(world, mw, editor, field, value):
    url = f"/api/v1/meetings/{mw.public.pk}"
    response = patch(editor, url, {"version": 1, field: value})
    assert response.status_code == 422, response.content
    assert error_fields(response) == [field]
    assert Meeting.objects.get(pk=mw.public.pk).version == 1


def test_null_empties_texts_and_lists(world, mw, editor):
    url = f"/api/v1/meetings/{mw.public.pk}"
    body = {
        "version": 1,
        "place": None,
        "minutes": None,
        "organizations": None,
        "phases": None,
        "host_organization": None,
        "series": None,
        "shared_with": None,
    }
    response = patch(editor, url, body)
    assert response.status_code == 200, response.content
    got = response.json()
    assert (got["place"], got["minutes"], got["organizations"], got["phases"]) == ("", "", [], [])
    assert got["host_organization"] is None and got["series"] is None


def test_meeting_filters(world, mw, editor):
    def titles(query):
        response = editor.get(f"/api/v1/meetings?{query}")
        assert response.status_code == 200, (query, response.content)
        return [item["title"] for item in response.json()["items"]]

    assert titles("organization=SCO") == ["RESTRICTED-MEETING"]
    assert titles("organization=osce") == ["Staff talks 2024"]  # the host
    assert titles(f"series={mw.series.pk}") == ["Staff talks 2024"]
    assert titles("format=staff_talks") == ["Staff talks 2024"]
    assert titles("status=held") == ["Staff talks 2024"]
    assert titles("theme=human-rights") == ["Staff talks 2024"]
    assert titles("theme=human") == ["Staff talks 2024"]  # the dimension holds the theme
    assert titles("theme=economic-environmental") == []
    assert titles("from=2024-03-01&to=2024-04-01") == ["INTERNAL-MEETING", "UN-SHARED-MEETING"]
    assert titles("to=2024-01-16") == ["Staff talks 2024"]
    assert titles("from=2024-05-02") == []
    for query, field in [
        ("organization=NOPE", "organization"),
        ("series=999999", "series"),
        ("theme=nope", "theme"),
        ("from=yesterday", "from"),
        ("to=2024-13-01", "to"),
        ("format=picnic", "format"),
        ("limit=501", "limit"),
        ("series=99999999999999999999", "series"),
    ]:
        response = editor.get(f"/api/v1/meetings?{query}")
        assert response.status_code == 422, query
        assert error_fields(response) == [field], query


def test_agenda_items_and_outcomes(world, mw, editor):
    base = f"/api/v1/meetings/{mw.public.pk}/agenda-items"
    response = post(editor, base, {"title": "Welcome", "position": 1, "carry_over": True})
    assert response.status_code == 201, response.content
    item = response.json()
    listing = editor.get(base).json()
    assert listing["count"] == 3
    assert [(i["position"], i["title"]) for i in listing["items"]] == [
        (1, "Welcome"),
        (2, "Early warning"),
        (3, "Any other business"),
    ]
    url = f"{base}/{item['id']}"
    response = patch(editor, url, {"version": item["version"], "position": 3, "notes": "Last"})
    assert response.status_code == 200, response.content
    assert (response.json()["position"], response.json()["notes"]) == (3, "Last")
    assert patch(editor, url, {"version": 1, "position": 9}).status_code in (409, 422)
    response = patch(editor, url, {"version": response.json()["version"], "position": 9})
    assert response.status_code == 422 and error_fields(response) == ["position"]
    outcomes = f"{url}/outcomes"
    response = post(editor, outcomes, {"kind": "decision", "text": "Meet again in June"})
    assert response.status_code == 201
    outcome = response.json()
    assert editor.get(outcomes).json()["count"] == 1
    response = patch(editor, f"{outcomes}/{outcome['id']}", {"version": 1, "kind": "agreement"})
    assert response.json()["kind"] == "agreement"
    assert (
        patch(editor, f"{outcomes}/{outcome['id']}", {"version": 2, "text": None}).status_code
        == 422
    )
    # An outcome through another item's address is not found.
    other = f"{base}/{mw.item.pk}/outcomes/{outcome['id']}"
    assert editor.get(other).status_code == 404
    assert editor.delete(f"{outcomes}/{outcome['id']}").status_code == 204
    assert not Outcome.objects.filter(pk=outcome["id"]).exists()
    assert editor.delete(url).status_code == 204
    assert not AgendaItem.objects.filter(pk=item["id"]).exists()
    # An item of another meeting is not found under this one.
    assert (
        editor.get(f"/api/v1/meetings/{mw.shared.pk}/agenda-items/{mw.item.pk}").status_code == 404
    )


def test_series_round_trip_and_next(world, mw, editor):
    body = {
        "title": "OSCE–UN–CoE tripartite",
        "format": "tripartite",
        "cadence": "FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH",
        "time_zone": "Europe/Vienna",
        "default_start_time": "10:00",
        "default_duration_minutes": 240,
        "organizations": ["OSCE", "UN"],
        "template_agenda": [{"title": "Opening"}, {"title": "Follow-up", "carry_over": True}],
        "classification": "public",
    }
    response = post(editor, "/api/v1/series", body)
    assert response.status_code == 201, response.content
    series = response.json()
    assert series["cadence_days"] in (364, 371)
    assert series["default_start_time"] == "10:00:00"
    assert [t["title"] for t in series["template_agenda"]] == ["Opening", "Follow-up"]
    url = f"/api/v1/series/{series['id']}"
    response = post(editor, f"{url}/next")
    assert response.status_code == 201, response.content
    meeting = response.json()
    assert meeting["start"].endswith("T10:00:00+02:00")
    assert datetime.date.fromisoformat(meeting["start"][:10]).weekday() == 3
    assert [i["title"] for i in meeting["agenda_items"]] == ["Opening", "Follow-up"]
    response = patch(
        editor,
        url,
        {"version": 1, "template_agenda": None, "cadence": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"},
    )
    assert response.status_code == 422 and error_fields(response) == ["cadence"]
    response = patch(editor, url, {"version": 1, "template_agenda": None})
    assert response.status_code == 200 and response.json()["template_agenda"] == []
    for change, field in [
        ({"cadence": "FREQ=HOURLY"}, "cadence"),
        ({"time_zone": "Nowhere"}, "time_zone"),
        ({"default_start_time": "25:00"}, "default_start_time"),
        ({"default_start_time": 36000}, "default_start_time"),
        ({"default_duration_minutes": 0}, "default_duration_minutes"),
        ({"cadence": None}, "cadence"),
    ]:
        response = patch(editor, url, {"version": 2, **change})
        assert response.status_code == 422, change
        assert error_fields(response) == [field], change
    assert editor.delete(url).status_code == 204
    assert not Series.objects.filter(pk=series["id"]).exists()
    assert Meeting.objects.filter(pk=meeting["id"], series=None).exists()


def test_actions_round_trip_and_filters(world, mw, editor):
    response = post(
        editor,
        "/api/v1/actions",
        {
            "title": "Draft the joint statement",
            "owner_user": "me",
            "organization": "UN",
            "outcome": mw.outcome.pk,
            "due": "2099-01-31",
            "classification": "public",
        },
    )
    assert response.status_code == 201, response.content
    action = response.json()
    assert action["owner_user"] == "editor"
    assert action["meeting"]["id"] == mw.public.pk  # the outcome's meeting
    assert action["is_overdue"] is False

    def titles(query):
        response = editor.get(f"/api/v1/actions?{query}")
        assert response.status_code == 200, query
        return {item["title"] for item in response.json()["items"]}

    assert titles("owner=me") == {"Draft the joint statement"}
    assert titles("owner=editor") == {"Draft the joint statement"}
    assert titles("overdue=true&organization=UN") == {"Send the contact list"}
    assert titles("overdue=false") == {"Draft the joint statement"}
    assert titles("status=open&organization=SCO") == {"RESTRICTED-ACTION"}
    assert titles(f"meeting={mw.public.pk}") == {
        "Send the contact list",
        "Draft the joint statement",
    }
    for query, field in [
        ("owner=nobody", "owner"),
        ("owner=norole", "owner"),
        ("organization=NOPE", "organization"),
        ("status=later", "status"),
        ("overdue=maybe", "overdue"),
        ("meeting=0", "meeting"),
    ]:
        response = editor.get(f"/api/v1/actions?{query}")
        assert response.status_code == 422, query
        assert error_fields(response) == [field], query
    url = f"/api/v1/actions/{action['id']}"
    response = patch(editor, url, {"version": 1, "status": "done"})
    assert response.json()["completed_on"] == datetime.date.today().isoformat()
    response = patch(editor, url, {"version": 2, "status": "open"})
    assert response.json()["completed_on"] is None
    response = patch(
        editor, url, {"version": 3, "owner_user": None, "owner_person": world.shared_person.pk}
    )
    assert response.status_code == 200, response.content
    assert response.json()["owner_person"]["name"] == "Una Shared", response.json()
    response = patch(editor, url, {"version": 4, "owner_user": "me"})
    assert response.status_code == 422 and error_fields(response) == ["owner_person"]
    response = patch(editor, url, {"version": 4, "outcome": mw.outcome.pk, "meeting": mw.shared.pk})
    assert response.status_code == 422 and error_fields(response) == ["outcome"]
    assert editor.delete(url).status_code == 204


def test_bulk_status(world, mw, editor):
    ids = [mw.action.pk, mw.secret_action.pk, mw.action.pk]
    response = post(
        editor,
        "/api/v1/actions/bulk-status",
        {"ids": ids, "status": "done", "completed_on": "2025-02-01", "note": "Closed at the talks"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert {(i["status"], i["completed_on"], i["note"]) for i in body["items"]} == {
        ("done", "2025-02-01", "Closed at the talks")
    }
    response = post(
        editor, "/api/v1/actions/bulk-status", {"ids": [mw.action.pk], "status": "in_progress"}
    )
    assert response.json()["items"][0]["completed_on"] is None
    for body, field in [
        ({"ids": [], "status": "done"}, "ids"),
        ({"ids": [0], "status": "done"}, "ids"),
        ({"ids": [mw.action.pk], "status": "finished"}, "status"),
        ({"ids": ["x"], "status": "done"}, "ids"),
        ({"ids": [mw.action.pk, 424242], "status": "done"}, "ids"),
        ({"ids": list(range(1, 600)), "status": "done"}, "ids"),
    ]:
        response = post(editor, "/api/v1/actions/bulk-status", body)
        assert response.status_code == 422, body
        assert field in error_fields(response), body
    assert Action.objects.get(pk=mw.action.pk).status == "in_progress"


@pytest.mark.parametrize("role", ["viewer", "partner", "norole"])
def test_only_editors_write(world, mw, client_for, role):
    client = client_for(getattr(world.users, role))
    before = (Meeting.objects.count(), Action.objects.count(), Series.objects.count())
    for method, url, body in [
        ("post", "/api/v1/meetings", new_meeting()),
        ("patch", f"/api/v1/meetings/{mw.public.pk}", {"version": 1, "title": "x"}),
        ("delete", f"/api/v1/meetings/{mw.public.pk}", None),
        ("post", f"/api/v1/series/{mw.series.pk}/next", None),
        ("post", "/api/v1/actions/bulk-status", {"ids": [mw.action.pk], "status": "done"}),
        ("post", f"/api/v1/meetings/{mw.public.pk}/agenda-items", {"title": "x"}),
    ]:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 403, (method, url)
    assert (Meeting.objects.count(), Action.objects.count(), Series.objects.count()) == before
    assert Action.objects.get(pk=mw.action.pk).status == "open"


ODD = [
    "",
    " ",
    "\x00",
    "%00",
    "0",
    "-1",
    "1e9",
    "99999999999999999999",
    "ä",
    "🙂",
    "' OR 1=1 --",
    "a" * 5000,
]


def test_odd_values_anywhere_never_give_a_500(world, mw, editor):
    """Every parameter and body field of the meetings API with odd values: a 4xx, never 500."""
    item = f"{mw.public.pk}/agenda-items/{mw.item.pk}"
    gets = [
        "/api/v1/meetings?{name}={value}",
        "/api/v1/actions?{name}={value}",
        "/api/v1/series?{name}={value}",
    ]
    names = [
        "organization",
        "series",
        "format",
        "status",
        "theme",
        "from",
        "to",
        "owner",
        "overdue",
        "meeting",
        "limit",
        "offset",
    ]
    for template in gets:
        for name in names:
            for value in ODD:
                url = template.format(name=name, value=value)
                response = editor.get(url)
                assert response.status_code < 500, url
    for value in ODD:
        for path in (
            f"/api/v1/meetings/{value}",
            f"/api/v1/meetings/{mw.public.pk}/agenda-items/{value}",
            f"/api/v1/meetings/{item}/outcomes/{value}",
            f"/api/v1/series/{value}",
            f"/api/v1/actions/{value}",
        ):
            response = editor.get(path)
            assert response.status_code in (404, 422), path
    bodies = {
        "/api/v1/meetings": new_meeting(),
        "/api/v1/series": {
            "title": "S",
            "format": "visit",
            "cadence": "FREQ=YEARLY",
            "time_zone": "UTC",
        },
        "/api/v1/actions": {"title": "A"},
        f"/api/v1/meetings/{mw.public.pk}/agenda-items": {"title": "I"},
        f"/api/v1/meetings/{item}/outcomes": {"kind": "decision", "text": "T"},
    }
    for url, good in bodies.items():
        for name in good:
            for value in [None, "", "\x00", 0, -1, 10**20, [], {}, ["x"], "🙂" * 400, True]:
                response = post(editor, url, {**good, name: value})
                assert response.status_code < 500, (url, name, value)
    for url in [
        f"/api/v1/meetings/{mw.public.pk}",
        f"/api/v1/actions/{mw.action.pk}",
        f"/api/v1/series/{mw.series.pk}",
    ]:
        for value in [None, "", "x", 10**20, -1, [], {}]:
            response = patch(editor, url, {"version": value, "title": "T"})
            assert response.status_code < 500, (url, value)
    response = editor.post("/api/v1/meetings", data="{not json", content_type="application/json")
    assert response.status_code == 400
