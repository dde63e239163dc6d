"""The bulk change of status from the action list, and "Create the next occurrence"."""

import datetime

from django.utils.html import strip_tags

from accord.meetings import services
from accord.meetings.models import Action, Meeting


def make_actions(n, **fields):
    return [
        services.action_create(actor=None, title=f"BULK-{i}", classification="public", **fields)
        for i in range(n)
    ]


def rows(actions):
    return [f"{a.pk}:{a.version}" for a in actions]


def messages_of(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def test_many_actions_change_status_at_once(world, mw, client_for):
    actions = make_actions(3)
    client = client_for(world.users.editor)
    response = client.post(
        "/actions/bulk/",
        {"rows": rows(actions[:2]), "status": "done", "next": "/actions/?q=BULK"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/actions/?q=BULK"
    assert "2 actions are now “Done”." in messages_of(response)
    statuses = {
        a.title: (a.status, a.completed_on) for a in Action.objects.filter(title__startswith="BULK")
    }
    assert statuses["BULK-0"][0] == "done" and statuses["BULK-0"][1] is not None
    assert statuses["BULK-1"][0] == "done"
    assert statuses["BULK-2"] == ("open", None)
    # Each change is in the history, by the editor.
    done = Action.objects.get(title="BULK-0")
    assert done.history.first().history_user == world.users.editor
    assert done.version == 2


def test_a_stale_row_is_reported_and_nothing_is_changed(world, mw, client_for):
    actions = make_actions(3)
    # Someone else edits one of them after the list was shown.
    services.action_update(
        actor=world.users.admin, action=actions[1], expected_version=None, status="in_progress"
    )
    response = client_for(world.users.editor).post(
        "/actions/bulk/", {"rows": rows(actions), "status": "cancelled"}, follow=True
    )
    text = messages_of(response)
    assert "Nothing was changed" in text and "“BULK-1”" in text
    statuses = dict(Action.objects.filter(title__startswith="BULK").values_list("title", "status"))
    assert statuses == {"BULK-0": "open", "BULK-1": "in_progress", "BULK-2": "open"}


def test_bad_bulk_input_is_told(world, mw, client_for):
    client = client_for(world.users.editor)
    actions = make_actions(1)
    for data, message in (
        ({"status": "done"}, "Tick at least one action."),
        ({"rows": ["12;3"], "status": "done"}, "The list was altered"),
        ({"rows": ["99999999999999999999999:1"], "status": "done"}, "The list was altered"),
        ({"rows": rows(actions), "status": "sleeping"}, "Select a valid choice"),
        ({"rows": [f"{mw.secret_action.pk + 1000}:1"], "status": "done"}, "No action"),
    ):
        response = client.post("/actions/bulk/", data, follow=True)
        assert message in messages_of(response), data
    assert Action.objects.get(pk=actions[0].pk).status == "open"


def test_an_editor_may_change_any_row_it_sees(world, mw, client_for):
    # Editors see restricted actions, so they may tick them too.
    response = client_for(world.users.editor).post(
        "/actions/bulk/",
        {"rows": [f"{mw.secret_action.pk}:{mw.secret_action.version}"], "status": "done"},
        follow=True,
    )
    assert "1 action is now “Done”." in messages_of(response)


def test_create_the_next_occurrence_carries_over_and_says_so(world, mw, client_for):
    editor = world.users.editor
    services.agenda_item_update(actor=editor, item=mw.item, expected_version=None, carry_over=True)
    client = client_for(editor)
    response = client.post(f"/meetings/series/{mw.series.pk}/next/", follow=True)
    created = Meeting.objects.filter(series=mw.series).order_by("-start").first()
    assert created != mw.public
    assert response.redirect_chain[-1][0] == created.get_absolute_url()
    text = messages_of(response)
    assert "Created the next meeting, 2025-01-16 at 10:00 (Europe/Vienna)." in text
    assert "Carried over from the latest meeting: 1 agenda item, 1 open action." in text
    # The page shows them: the template's items, the carried item, the carried action.
    assert "Review of actions" in text and "Carried over from" in text
    carried = text[text.index("Carried over to this meeting") :]
    assert "Send the contact list" in carried


def test_the_next_occurrence_that_cannot_be_made_is_explained(world, mw, client_for):
    lonely = services.series_create(
        actor=None,
        title="No meeting yet",
        format="bilateral",
        cadence="FREQ=YEARLY",
        classification="public",
    )
    response = client_for(world.users.editor).post(
        f"/meetings/series/{lonely.pk}/next/", follow=True
    )
    assert response.redirect_chain[-1][0] == lonely.get_absolute_url()
    assert "No next meeting was created" in messages_of(response)
    assert not Meeting.objects.filter(series=lonely).exists()


def test_the_series_page_says_its_cadence_and_next_dates(world, mw, client_for):
    page = client_for(world.users.viewer).get(f"/meetings/series/{mw.series.pk}/")
    text = messages_of(page)
    assert "Every year FREQ=YEARLY" in text
    # The next dates by the rule after the latest meeting (16 January 2024, 10:00 Vienna).
    assert "Thu 2025-01-16 10:00 (Europe/Vienna)" in text
    assert "Fri 2026-01-16 10:00" in text and "Sat 2027-01-16 10:00" in text
    # The first is the one the button makes.
    start = services.next_start(mw.series).astimezone(mw.public.tz)
    assert start == datetime.datetime(2025, 1, 16, 10, tzinfo=mw.public.tz)


def test_the_one_button_changes_have_a_page_of_their_own(world, mw, client_for):
    """Opened by their address (GET), they say what they do and change nothing."""
    client = client_for(world.users.editor)
    page = client.get(f"/meetings/series/{mw.series.pk}/next/")
    assert page.status_code == 200
    text = messages_of(page)
    assert "on 2025-01-16 at 10:00 (Europe/Vienna)" in text
    page = client.get(f"/actions/{mw.action.pk}/done/")
    assert page.status_code == 200 and f'value="{mw.action.version}"' in page.content.decode()
    page = client.get(f"/meetings/{mw.public.pk}/agenda/{mw.item.pk}/move/")
    assert page.status_code == 200 and "Move down" in page.content.decode()
    assert "Move up" not in messages_of(page)
    assert client.get("/actions/bulk/").status_code == 200
    assert Meeting.objects.filter(series=mw.series).count() == 1
    mw.action.refresh_from_db()
    assert mw.action.status == "open"
    # Other methods are refused.
    for url in (f"/actions/{mw.action.pk}/done/", "/actions/bulk/"):
        assert client.put(url).status_code == 405
        assert client.delete(url).status_code == 405
