"""One policy for every way out: lists, details, counts, nested lists, selectors and API ids.

A restricted meeting never appears for a viewer or a partner; an internal one shared with the
UN appears for the UN's focal point, not for another partner's. What a visible record names
(participants, the meetings an action was carried to, a series) is filtered too.
"""

import datetime

import pytest
from django.http import Http404

from accord.meetings import selectors, services

SECRETS = (
    "RESTRICTED-MEETING",
    "RESTRICTED-SERIES",
    "RESTRICTED-AGENDA",
    "RESTRICTED-OUTCOME",
    "RESTRICTED-ACTION",
    "ACTION-AT-HIDDEN-MEETING",
    "RESTRICTED-PERSON",
)


def user_of(world, mw, role):
    return mw.sco_partner if role == "sco" else getattr(world.users, role)


# Meetings each role sees, by title.
EXPECTED_MEETINGS = {
    "editor": {"Staff talks 2024", "UN-SHARED-MEETING", "INTERNAL-MEETING", "RESTRICTED-MEETING"},
    "viewer": {"Staff talks 2024", "UN-SHARED-MEETING", "INTERNAL-MEETING"},
    "partner": {"Staff talks 2024", "UN-SHARED-MEETING"},  # the UN's focal point
    "sco": {"Staff talks 2024"},
    "norole": set(),
}


@pytest.mark.parametrize("role", sorted(EXPECTED_MEETINGS))
def test_meeting_lists_and_counts(world, mw, client_for, role):
    user = user_of(world, mw, role)
    expected = EXPECTED_MEETINGS[role]
    titles = {m.title for m in selectors.meeting_list(user)}
    assert titles == expected
    assert selectors.meeting_list(user).count() == len(expected)
    window = (
        datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    assert {m.title for m in selectors.meetings_in_range(user, *window)} == expected
    un_meetings = {m.title for m in selectors.meeting_list(user).involving(world.un)}
    assert un_meetings == expected - {"RESTRICTED-MEETING"}
    if role == "norole":
        assert client_for(user).get("/api/v1/meetings").status_code == 403
        return
    body = client_for(user).get("/api/v1/meetings?limit=500").json()
    assert {item["title"] for item in body["items"]} == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize("role", ["viewer", "partner", "sco"])
def test_hidden_meetings_are_404_everywhere(world, mw, client_for, role):
    user = user_of(world, mw, role)
    client = client_for(user)
    hidden = [mw.restricted] + ([mw.internal] if role != "viewer" else [])
    hidden += [mw.shared] if role == "sco" else []
    for meeting in hidden:
        with pytest.raises(Http404):
            selectors.meeting_get(user, meeting.pk)
        base = f"/api/v1/meetings/{meeting.pk}"
        item = meeting.agenda_items.first()
        urls = [base, base + "/agenda-items"]
        if item is not None:
            urls += [f"{base}/agenda-items/{item.pk}", f"{base}/agenda-items/{item.pk}/outcomes"]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json() == {"detail": "Not found."}
    # A hidden meeting's id in a filter is refused like a missing one.
    response = client.get(f"/api/v1/actions?meeting={mw.restricted.pk}")
    assert response.status_code == 422
    missing = client.get("/api/v1/actions?meeting=999999")
    assert response.json()["detail"][0]["msg"].replace(str(mw.restricted.pk), "N") == (
        missing.json()["detail"][0]["msg"].replace("999999", "N")
    )


@pytest.mark.parametrize("role", ["viewer", "partner", "sco"])
def test_nothing_hidden_leaks_through_visible_records(world, mw, client_for, role):
    client = client_for(user_of(world, mw, role))
    urls = [
        "/api/v1/meetings?limit=500",
        f"/api/v1/meetings/{mw.public.pk}",
        f"/api/v1/meetings/{mw.public.pk}/agenda-items",
        "/api/v1/actions?limit=500",
        f"/api/v1/actions/{mw.action.pk}",
        "/api/v1/series?limit=500",
        f"/api/v1/series/{mw.series.pk}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        leaked = [secret for secret in SECRETS if secret in text]
        assert not leaked, (url, leaked)
        if role != "viewer":
            assert "INTERNAL-MEETING" not in text, url
            assert "Ivo Internal" not in text, url
        if role == "sco":
            assert "UN-SHARED-MEETING" not in text, url


def test_participants_are_people_the_reader_may_see(world, mw):
    def names(user):
        meeting = selectors.meeting_get(user, mw.public.pk)
        return [p.person.name for p in meeting.participants.all()]

    assert names(world.users.editor) == ["Ivo Internal", "RESTRICTED-PERSON", "Una Shared"]
    assert names(world.users.viewer) == ["Ivo Internal", "Una Shared"]
    assert names(world.users.partner) == ["Una Shared"]
    assert names(mw.sco_partner) == []


def test_carried_to_names_only_visible_meetings(world, mw):
    def carried(user):
        action = selectors.action_get(user, mw.action.pk)
        return [m.title for m in action.carried_to.all()]

    assert carried(world.users.editor) == ["UN-SHARED-MEETING", "RESTRICTED-MEETING"]
    assert carried(world.users.viewer) == ["UN-SHARED-MEETING"]
    assert carried(world.users.partner) == ["UN-SHARED-MEETING"]
    assert carried(mw.sco_partner) == []


def test_a_meeting_in_a_hidden_series_names_no_series(world, mw):
    services.meeting_update(
        actor=None,
        meeting=mw.public,
        expected_version=mw.public.version,
        series=mw.restricted_series,
    )
    for user in (world.users.viewer, world.users.partner):
        assert selectors.meeting_get(user, mw.public.pk).series is None
    assert selectors.meeting_get(world.users.editor, mw.public.pk).series == mw.restricted_series


EXPECTED_ACTIONS = {
    "editor": {"Send the contact list", "RESTRICTED-ACTION", "ACTION-AT-HIDDEN-MEETING"},
    "viewer": {"Send the contact list"},
    "partner": {"Send the contact list"},
    "sco": {"Send the contact list"},
}


@pytest.mark.parametrize("role", sorted(EXPECTED_ACTIONS))
def test_an_action_at_a_hidden_meeting_is_hidden(world, mw, client_for, role):
    user = user_of(world, mw, role)
    expected = EXPECTED_ACTIONS[role]
    assert {a.title for a in selectors.action_list(user)} == expected
    assert {a.title for a in selectors.overdue_actions(user, limit=None)} == expected
    assert selectors.actions_for(user, overdue=True).count() == len(expected)
    body = client_for(user).get("/api/v1/actions?overdue=true").json()
    assert {item["title"] for item in body["items"]} == expected
    assert body["count"] == len(expected)
    if role != "editor":
        for action in (mw.secret_action, mw.hidden_meeting_action):
            assert client_for(user).get(f"/api/v1/actions/{action.pk}").status_code == 404


def test_a_hidden_action_cannot_be_changed_in_bulk_by_id(world, mw, client_for):
    """Editors see everything; the 422 for an unknown id says nothing of hidden ones."""
    from .conftest import post

    response = post(
        client_for(world.users.editor),
        "/api/v1/actions/bulk-status",
        {"ids": [mw.action.pk, 99999], "status": "done"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ids"]


def test_series_lists(world, mw, client_for):
    assert {s.title for s in selectors.series_list(world.users.editor)} == {
        "OSCE–UN staff talks",
        "RESTRICTED-SERIES",
    }
    for user in (world.users.viewer, world.users.partner, mw.sco_partner):
        assert [s.title for s in selectors.series_list(user)] == ["OSCE–UN staff talks"]
        with pytest.raises(Http404):
            selectors.series_get(user, mw.restricted_series.pk)
        response = client_for(user).get(f"/api/v1/series/{mw.restricted_series.pk}")
        assert response.status_code == 404


def test_last_meeting_date_of_a_series_counts_only_visible_meetings(world, mw):
    later = services.meeting_create(
        actor=None,
        title="RESTRICTED-MEETING too",
        series=mw.series,
        format="staff_talks",
        start=datetime.datetime(2024, 9, 1, 9, tzinfo=datetime.UTC),
        end=datetime.datetime(2024, 9, 1, 10, tzinfo=datetime.UTC),
        time_zone="Europe/Vienna",
        classification="restricted",
    )
    editor_view = selectors.series_get(world.users.editor, mw.series.pk)
    viewer_view = selectors.series_get(world.users.viewer, mw.series.pk)
    assert editor_view.last_start == later.start
    assert viewer_view.last_start == mw.public.start
