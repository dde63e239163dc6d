"""The meetings forms, round trip: what is typed is what is stored, and what is shown again."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags

from accord.core.tests import sample_files
from accord.meetings import services
from accord.meetings.models import Action, AgendaItem, Attachment, Meeting, Outcome, Series

UTC = datetime.UTC


def meeting_data(world, mw, **changes):
    data = {
        "title": "Talks on early warning",
        "series": "",
        "format": "bilateral",
        "level": "expert",
        "status": "planned",
        "time_zone": "Europe/Vienna",
        "start_date": "2025-01-16",
        "start_time": "10:00",
        "end_date": "",
        "end_time": "12:30",
        "place": "Vienna",
        "online_link": "",
        "host_organization": world.osce.pk,
        "organizations": [world.osce.pk, world.un.pk],
        "themes": [mw.rights.pk],
        "phases": ["early_warning", "crisis_management"],
        "classification": "internal",
        "shared_with": [world.un.pk],
        "minutes": "Notes",
        "invited": [world.internal_person.pk],
        "attended": [world.shared_person.pk],
        "excused": [],
        "version": "",
    }
    data.update(changes)
    return data


def words(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def errors(response) -> str:
    return " ".join(re.findall(r'role="alert">([^<]+)<', response.content.decode()))


def test_a_meeting_round_trip(world, mw, client_for):
    client = client_for(world.users.editor)
    response = client.post("/meetings/add/", meeting_data(world, mw))
    assert response.status_code == 302, errors(response)
    meeting = Meeting.objects.get(title="Talks on early warning")
    assert response["Location"] == meeting.get_absolute_url()
    # 10:00 in Vienna in January is 09:00 UTC.
    assert meeting.start == datetime.datetime(2025, 1, 16, 9, tzinfo=UTC)
    assert meeting.end == datetime.datetime(2025, 1, 16, 11, 30, tzinfo=UTC)
    assert meeting.time_zone == "Europe/Vienna"
    assert meeting.phases == ["early_warning", "crisis_management"]
    assert {o.acronym for o in meeting.organizations.all()} == {"OSCE", "UN"}
    assert [s.acronym for s in meeting.shared_with.all()] == ["UN"]
    assert {(p.person_id, p.attendance) for p in meeting.participants.all()} == {
        (world.internal_person.pk, "invited"),
        (world.shared_person.pk, "attended"),
    }
    assert meeting.history.first().history_user == world.users.editor
    # The edit page shows the local date and time, in the meeting's time zone.
    page = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert 'value="2025-01-16"' in page and 'value="10:00"' in page and 'value="12:30"' in page
    assert '<option value="Europe/Vienna" selected>' in page
    # Saved again as shown: nothing changes but the version.
    data = meeting_data(world, mw, version=meeting.version)
    response = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302, errors(response)
    meeting.refresh_from_db()
    assert meeting.start == datetime.datetime(2025, 1, 16, 9, tzinfo=UTC)
    assert meeting.version == 2
    # In July the same wall-clock time is 08:00 UTC; a meeting over two days.
    data = meeting_data(
        world, mw, version=2, start_date="2025-07-16", end_date="2025-07-17", end_time="09:00"
    )
    assert client.post(f"/meetings/{meeting.pk}/edit/", data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.start == datetime.datetime(2025, 7, 16, 8, tzinfo=UTC)
    assert meeting.end == datetime.datetime(2025, 7, 17, 7, tzinfo=UTC)


def test_a_meeting_of_a_series_starts_from_the_series(world, mw, client_for):
    services.series_update(
        actor=None,
        series=mw.series,
        expected_version=None,
        default_start_time=datetime.time(10),
        default_duration_minutes=90,
    )
    page = client_for(world.users.editor).get(f"/meetings/add/?series={mw.series.pk}")
    body = page.content.decode()
    assert 'value="OSCE–UN staff talks"' in body
    assert 'value="10:00"' in body and 'value="11:30"' in body
    assert '<option value="Europe/Vienna" selected>' in body


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        # Summer time begins in Vienna on 30 March 2025: the clocks skip 02:00-03:00.
        ({"start_date": "2025-03-30", "start_time": "02:30"}, "does not exist in Europe/Vienna"),
        ({"end_time": "09:00"}, "A meeting ends after it starts."),
        ({"start_time": "25:00"}, "Enter a time as HH:MM"),
        ({"start_date": "16/13/2025"}, "Enter a valid date"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"online_link": "javascript:alert(1)"}, "Enter a valid URL"),
        ({"attended": [1], "invited": [1]}, "is already under"),
        ({"organizations": ["99999999999999999999"]}, "Select a valid choice"),
        ({"phases": ["nirvana"]}, "Select a valid choice"),
    ],
)
def test_bad_meeting_input_is_a_form_error(world, mw, client_for, changes, field_error):
    if "attended" in changes:
        changes = {"attended": [world.shared_person.pk], "invited": [world.shared_person.pk]}
    response = client_for(world.users.editor).post(
        "/meetings/add/", meeting_data(world, mw, **changes)
    )
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not Meeting.objects.filter(title="Talks on early warning").exists()


def test_a_stale_meeting_edit_is_a_conflict_not_an_overwrite(world, mw, client_for):
    client = client_for(world.users.editor)
    meeting = mw.public
    # Someone else changes the place after this user opened the form.
    services.meeting_update(
        actor=world.users.admin, meeting=meeting, expected_version=None, place="Geneva"
    )
    data = meeting_data(
        world,
        mw,
        title="Staff talks 2024 (renamed)",
        version=meeting.version,
        place="Hofburg, Vienna",
        start_date="2024-01-16",
        start_time="10:00",
        end_time="16:00",
    )
    response = client.post(f"/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.place == "Geneva" and meeting.title == "Staff talks 2024"
    body = response.content.decode()
    assert "Geneva" in body
    # The form is shown again at the current version, with the local times intact.
    assert f'name="version" value="{meeting.version}"' in body
    assert 'value="10:00"' in body


def test_agenda_items_and_outcomes_from_the_meeting_page(world, mw, client_for):
    client = client_for(world.users.editor)
    meeting = mw.public
    base = f"/meetings/{meeting.pk}/agenda/"
    response = client.post(base + "add/", {"title": "Border management", "version": ""})
    assert response.status_code == 302
    added = AgendaItem.objects.get(meeting=meeting, title="Border management")
    assert response["Location"].endswith(f"#item-{added.pk}")
    assert added.position == 3
    # Added at the top.
    client.post(base + "add/", {"title": "Welcome", "position": "1", "version": ""})
    order = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert order == ["Welcome", "Early warning", "Any other business", "Border management"]
    # Moved up a step, at the version the page showed.
    added.refresh_from_db()
    response = client.post(
        base + f"{added.pk}/move/", {"direction": "up", "version": added.version}
    )
    assert response.status_code == 302
    order = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    assert order == ["Welcome", "Early warning", "Border management", "Any other business"]
    # A stale move is refused.
    client.post(base + f"{added.pk}/move/", {"direction": "up", "version": 1})
    added.refresh_from_db()
    assert added.position == 3
    # Edited.
    response = client.post(
        base + f"{added.pk}/edit/",
        {"title": "Border security", "notes": "", "position": "3", "version": added.version},
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.title == "Border security"
    # An outcome, edited, then deleted.
    response = client.post(
        base + f"{added.pk}/outcomes/add/", {"kind": "decision", "text": "Agreed", "version": ""}
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(agenda_item=added)
    assert response["Location"].endswith(f"#outcome-{outcome.pk}")
    client.post(
        base + f"{added.pk}/outcomes/{outcome.pk}/edit/",
        {"kind": "agreement", "text": "Agreed by both", "version": outcome.version},
    )
    outcome.refresh_from_db()
    assert (outcome.kind, outcome.text) == ("agreement", "Agreed by both")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Agreed by both" in page and "Border security" in page
    response = client.post(
        base + f"{added.pk}/outcomes/{outcome.pk}/delete/", {"version": outcome.version}
    )
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    assert not Outcome.objects.filter(pk=outcome.pk).exists()
    # The item is deleted with its confirmation page.
    assert client.get(base + f"{added.pk}/delete/").status_code == 200
    response = client.post(base + f"{added.pk}/delete/", {"version": added.version})
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=added.pk).exists()
    # An empty title is a form error.
    response = client.post(base + "add/", {"title": "", "version": ""})
    assert response.status_code == 400
    # An item of another meeting is not found under this one.
    assert client.get(f"/meetings/{mw.shared.pk}/agenda/{mw.item.pk}/edit/").status_code == 404


def test_raise_an_action_from_an_outcome(world, mw, client_for):
    client = client_for(world.users.editor)
    page = client.get(f"/actions/add/?outcome={mw.outcome.pk}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Raise an action" in body and "Exchange early-warning contacts" in body
    assert f'name="outcome" value="{mw.outcome.pk}"' in body
    response = client.post(
        "/actions/add/",
        {
            "title": "Exchange the lists",
            "outcome": mw.outcome.pk,
            "meeting": mw.public.pk,
            "organization": world.un.pk,
            "owner_user": world.users.editor.pk,
            "due": "2025-03-01",
            "status": "open",
            "classification": "public",
            "version": "",
        },
    )
    assert response.status_code == 302, errors(response)
    action = Action.objects.get(title="Exchange the lists")
    assert action.outcome == mw.outcome and action.meeting == mw.public
    assert action.owner_user == world.users.editor
    # It shows under its outcome on the meeting page.
    page = client.get(mw.public.get_absolute_url()).content.decode()
    outcome_block = page[page.index(f'id="outcome-{mw.outcome.pk}"') :]
    assert "Exchange the lists" in outcome_block[: outcome_block.index("</li>")]


def test_an_action_has_one_owner_and_is_done_in_one_click(world, mw, client_for):
    client = client_for(world.users.editor)
    data = {
        "title": "Two owners",
        "owner_user": world.users.editor.pk,
        "owner_person": world.shared_person.pk,
        "status": "open",
        "classification": "public",
        "version": "",
    }
    response = client.post("/actions/add/", data)
    assert response.status_code == 400
    assert "one owner" in response.content.decode()
    data.pop("owner_person")
    assert client.post("/actions/add/", data).status_code == 302
    action = Action.objects.get(title="Two owners")
    # Done in one click, at the version shown.
    response = client.post(f"/actions/{action.pk}/done/", {"version": action.version})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on is not None
    # A stale click changes nothing and says so.
    services.action_update(
        actor=None, action=action, expected_version=None, status="open", completed_on=None
    )
    response = client.post(
        f"/actions/{action.pk}/done/", {"version": 1, "next": "/actions/"}, follow=True
    )
    action.refresh_from_db()
    assert action.status == "open"
    assert "changed since you loaded the page" in response.content.decode()
    # The next address stays on this site.
    response = client.post(
        f"/actions/{action.pk}/done/", {"version": action.version, "next": "https://evil.example/"}
    )
    assert response["Location"] == action.get_absolute_url()


def test_a_series_with_its_template_agenda(world, mw, client_for):
    client = client_for(world.users.editor)
    data = {
        "title": "OSCE–CoE talks",
        "format": "staff_talks",
        "level": "headquarters",
        "cadence": "FREQ=MONTHLY;INTERVAL=6",
        "time_zone": "Europe/Vienna",
        "default_start_time": "09:30",
        "default_duration_minutes": "120",
        "place": "Strasbourg",
        "online_link": "",
        "host_organization": "",
        "organizations": [world.osce.pk],
        "themes": [],
        "classification": "public",
        "shared_with": [],
        "version": "",
        "agenda-TOTAL_FORMS": "3",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-title": "Opening",
        "agenda-1-title": "",
        "agenda-2-title": "Follow-up",
        "agenda-2-carry_over": "on",
    }
    response = client.post("/meetings/series/add/", data)
    assert response.status_code == 302, errors(response)
    series = Series.objects.get(title="OSCE–CoE talks")
    items = [(i.title, i.carry_over) for i in series.template_items.order_by("position")]
    assert items == [("Opening", False), ("Follow-up", True)]
    page = client.get(series.get_absolute_url())
    assert "Every 6 months" in words(page)
    # The edit form shows the template; saved with one row less, the template follows.
    edit = client.get(f"/meetings/series/{series.pk}/edit/").content.decode()
    assert 'value="Follow-up"' in edit and '<option value="Europe/Vienna" selected>' in edit
    data.update({"version": series.version, "agenda-0-title": "", "place": "Vienna"})
    assert client.post(f"/meetings/series/{series.pk}/edit/", data).status_code == 302
    series.refresh_from_db()
    assert series.place == "Vienna"
    assert [i.title for i in series.template_items.all()] == ["Follow-up"]
    # A rule dateutil cannot read is a form error naming the cadence.
    data.update({"version": series.version, "cadence": "FREQ=SOMETIMES"})
    response = client.post(f"/meetings/series/{series.pk}/edit/", data)
    assert response.status_code == 400
    assert "FREQ=DAILY, WEEKLY, MONTHLY or YEARLY" in response.content.decode()


def test_attachments_are_checked_uploaded_and_deleted(world, mw, client_for):
    client = client_for(world.users.editor)
    url = f"/meetings/{mw.public.pk}/attachments/add/"
    content = sample_files.pdf_bytes("Minutes of the staff talks")
    upload = SimpleUploadedFile("minutes.pdf", content, "application/pdf")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    attachment = Attachment.objects.get(meeting=mw.public)
    assert attachment.original_name == "minutes.pdf" and attachment.size == len(content)
    assert attachment.text == "Minutes of the staff talks"
    # A program renamed .pdf is refused with the reason.
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00binary", "application/pdf")
    response = client.post(url, {"file": fake})
    assert response.status_code == 400
    assert "is not a PDF file" in response.content.decode()
    # So is a type that may not be attached, and no file at all.
    response = client.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ", "x")})
    assert response.status_code == 400 and "cannot be attached" in response.content.decode()
    assert client.post(url, {}).status_code == 400
    assert Attachment.objects.filter(meeting=mw.public).count() == 1
    # Deleted from its confirmation page, back to the meeting.
    response = client.post(
        f"/meetings/attachments/{attachment.pk}/delete/", {"version": attachment.version}
    )
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_deleting_a_meeting_goes_back_to_the_list(world, mw, client_for):
    client = client_for(world.users.editor)
    assert client.get(f"/meetings/{mw.internal.pk}/delete/").status_code == 200
    response = client.post(f"/meetings/{mw.internal.pk}/delete/", {"version": 1})
    assert response.status_code == 302 and response["Location"] == "/meetings/"
    assert not Meeting.objects.filter(pk=mw.internal.pk).exists()
