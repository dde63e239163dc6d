"""The meetings web pages for each role: what each sees, and that nothing hidden leaks."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import strip_tags

from accord.core.tests import sample_files
from accord.meetings import services

RESTRICTED = (
    "RESTRICTED-MEETING",
    "RESTRICTED-ACTION",
    "RESTRICTED-SERIES",
    "RESTRICTED-AGENDA",
    "RESTRICTED-OUTCOME",
    "ACTION-AT-HIDDEN-MEETING",
    "RESTRICTED-PERSON",
)


def pages(mw):
    return [
        "/meetings/",
        "/meetings/?q=meeting",
        "/meetings/calendar/?date=2024-03-01",
        "/meetings/calendar/?view=week&date=2024-01-16",
        "/meetings/calendar/?view=list&date=2024-05-01",
        "/meetings/calendar/?date=2024-05-01",
        "/meetings/series/",
        f"/meetings/series/{mw.series.pk}/",
        f"/meetings/{mw.public.pk}/",
        f"/meetings/{mw.public.pk}/history/",
        f"/meetings/{mw.public.pk}/journal/",
        "/actions/",
        "/actions/?owner=me",
        "/actions/?overdue=yes",
        f"/actions/{mw.action.pk}/",
        "/",
    ]


def text(response) -> str:
    return response.content.decode()


def words(response) -> str:
    """The page's text as a reader sees it: no tags, spaces collapsed."""
    return " ".join(strip_tags(text(response)).split())


def result_count(response) -> int:
    found = re.search(r"(\d+) results?", text(response))
    assert found, text(response)[:2000]
    return int(found.group(1))


@pytest.mark.parametrize("role", ["admin", "editor", "viewer", "partner"])
def test_every_page_renders_for_every_role(world, mw, client_for, role):
    client = client_for(getattr(world.users, role))
    for url in pages(mw):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:3000])


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_nothing_restricted_shows_anywhere(world, mw, client_for, role):
    client = client_for(getattr(world.users, role))
    for url in pages(mw):
        body = text(client.get(url))
        for marker in RESTRICTED:
            assert marker not in body, (url, marker)
    # The restricted records themselves are missing, not forbidden.
    for url in (
        f"/meetings/{mw.restricted.pk}/",
        f"/meetings/{mw.restricted.pk}/history/",
        f"/meetings/series/{mw.restricted_series.pk}/",
        f"/actions/{mw.secret_action.pk}/",
        f"/actions/{mw.hidden_meeting_action.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_counts_are_the_visible_rows(world, mw, client_for):
    # public, shared, internal and restricted meetings; 3 series-less + the public one.
    assert result_count(client_for(world.users.editor).get("/meetings/")) == 4
    assert result_count(client_for(world.users.viewer).get("/meetings/")) == 3
    assert result_count(client_for(world.users.viewer).get("/actions/")) == 1
    assert result_count(client_for(world.users.editor).get("/actions/")) == 3
    assert result_count(client_for(world.users.viewer).get("/meetings/series/")) == 1


def test_a_partner_sees_what_is_shared_with_its_organization_only(world, mw, client_for):
    un = client_for(world.users.partner)
    for url in ("/meetings/", "/meetings/calendar/?date=2024-03-01"):
        body = text(un.get(url))
        assert "UN-SHARED-MEETING" in body, url
        assert "INTERNAL-MEETING" not in body, url
    assert un.get(f"/meetings/{mw.shared.pk}/").status_code == 200
    assert un.get(f"/meetings/{mw.internal.pk}/").status_code == 404
    sco = client_for(mw.sco_partner)
    for url in ("/meetings/", "/meetings/calendar/?date=2024-03-01"):
        body = text(sco.get(url))
        assert "UN-SHARED-MEETING" not in body, url
        assert "INTERNAL-MEETING" not in body, url
    assert sco.get(f"/meetings/{mw.shared.pk}/").status_code == 404


def test_the_participants_a_reader_may_not_see_are_left_out(world, mw, client_for):
    page = text(client_for(world.users.viewer).get(f"/meetings/{mw.public.pk}/"))
    assert "Una Shared" in page and "Ivo Internal" in page
    assert "RESTRICTED-PERSON" not in page
    page = text(client_for(world.users.partner).get(f"/meetings/{mw.public.pk}/"))
    assert "Una Shared" in page
    assert "Ivo Internal" not in page
    assert "RESTRICTED-PERSON" in text(
        client_for(world.users.editor).get(mw.public.get_absolute_url())
    )


def test_without_a_role_or_a_login_there_is_no_page(world, mw, client, client_for):
    assert client.get("/meetings/").status_code == 302
    assert client.get("/meetings/calendar/").status_code == 302
    norole = client_for(world.users.norole)
    for url in ("/meetings/", "/meetings/calendar/", "/actions/", f"/meetings/{mw.public.pk}/"):
        assert norole.get(url).status_code == 403, url


def test_viewers_and_partners_change_nothing(world, mw, client_for):
    for user in (world.users.viewer, world.users.partner):
        client = client_for(user)
        for url in (
            "/meetings/add/",
            f"/meetings/{mw.public.pk}/edit/",
            f"/meetings/{mw.public.pk}/delete/",
            f"/meetings/{mw.public.pk}/agenda/add/",
            "/meetings/series/add/",
            "/actions/add/",
            f"/actions/{mw.action.pk}/edit/",
        ):
            assert client.get(url).status_code == 403, url
        for url, data in (
            (f"/actions/{mw.action.pk}/done/", {"version": mw.action.version}),
            ("/actions/bulk/", {"rows": f"{mw.action.pk}:1", "status": "done"}),
            (f"/meetings/series/{mw.series.pk}/next/", {}),
            (f"/meetings/{mw.public.pk}/agenda/{mw.item.pk}/move/", {"direction": "up"}),
        ):
            assert client.post(url, data).status_code == 403, url
        page = text(client.get(f"/meetings/{mw.public.pk}/"))
        assert "Raise an action" not in page and "Add an agenda item" not in page
        assert 'name="rows"' not in text(client.get("/actions/"))
    mw.action.refresh_from_db()
    assert mw.action.status == "open"


def test_the_editor_sees_the_editing_controls(world, mw, client_for):
    page = text(client_for(world.users.editor).get(f"/meetings/{mw.public.pk}/"))
    assert "Raise an action" in page and "Add an agenda item" in page
    assert f'value="{mw.action.pk}:{mw.action.version}"' in text(
        client_for(world.users.editor).get("/actions/")
    )


def test_the_detail_page_shows_everything_of_the_meeting(world, mw, client_for):
    services.meeting_update(
        actor=None,
        meeting=mw.public,
        expected_version=None,
        phases=["early_warning"],
        minutes="**Agreed** <script>alert(1)</script> [link](javascript:alert(1))",
        is_sample=True,
    )
    services.attachment_create(
        actor=None, meeting=mw.public, file=ContentFile(b"agenda text", name="agenda.txt")
    )
    response = client_for(world.users.viewer).get(f"/meetings/{mw.public.pk}/")
    page = text(response)
    # Its own time zone and the reader's (UTC in the tests): 09:00Z is 10:00 in Vienna.
    assert "Tue 2024-01-16 10:00–16:00 (Europe/Vienna)" in words(response)
    assert "Your time (UTC): Tue 2024-01-16 09:00–15:00" in words(response)
    assert "Hofburg, Vienna" in page and "OSCE–UN staff talks" in page
    assert "Early warning" in page and "Exchange early-warning contacts" in page
    assert "Any other business" in page and "Send the contact list" in page
    assert "Attended" in page and "Human rights" in page
    assert "<strong>Agreed</strong>" in page and "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "Illustrative sample data" in page
    assert "agenda.txt" in page and "/meetings/attachments/" in page
    assert f"/meetings/{mw.public.pk}/history/" in page
    # The agenda items in their order.
    assert page.index("Early warning") < page.index("Any other business")


def test_carried_over_items_and_actions_show_on_the_next_meeting(world, mw, client_for):
    editor = world.users.editor
    services.agenda_item_update(actor=editor, item=mw.item, expected_version=None, carry_over=True)
    services.meeting_update(
        actor=editor,
        meeting=mw.public,
        expected_version=None,
        start=datetime.datetime(2026, 1, 16, 9, tzinfo=datetime.UTC),
        end=datetime.datetime(2026, 1, 16, 15, tzinfo=datetime.UTC),
    )
    created = services.create_next_occurrence(mw.series, editor)
    page = text(client_for(world.users.viewer).get(created.get_absolute_url()))
    assert "Carried over from" in page and "Staff talks 2024" in page
    carried = page[page.index('id="carried"') :]
    assert "Send the contact list" in carried


NOTES_PDF = sample_files.pdf_bytes("Notes")


def test_attachments_download_through_the_policy(world, mw, client_for):
    public = services.attachment_create(
        actor=None, meeting=mw.public, file=ContentFile(NOTES_PDF, name="notes.pdf")
    )
    secret = services.attachment_create(
        actor=None, meeting=mw.restricted, file=ContentFile(b"secret", name="secret.txt")
    )
    viewer = client_for(world.users.viewer)
    response = viewer.get(f"/meetings/attachments/{public.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == NOTES_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert viewer.get(f"/meetings/attachments/{secret.pk}/").status_code == 404
    assert (
        client_for(world.users.editor).get(f"/meetings/attachments/{secret.pk}/").status_code == 200
    )


def upcoming_world(world):
    """A meeting and an overdue action of each classification, around today."""
    now = timezone.now()
    today = timezone.localdate()
    made = {}
    for classification in ("public", "restricted"):
        start = now + datetime.timedelta(days=3)
        made[classification] = services.meeting_create(
            actor=None,
            title=f"SOON-{classification.upper()}",
            format="bilateral",
            start=start,
            end=start + datetime.timedelta(hours=1),
            time_zone="Europe/Vienna",
            classification=classification,
        )
        services.action_create(
            actor=None,
            title=f"LATE-{classification.upper()}",
            due=today - datetime.timedelta(days=5),
            classification=classification,
        )
    return made


def test_the_dashboard_panels_obey_the_policy(world, mw, client_for):
    upcoming_world(world)
    viewer = text(client_for(world.users.viewer).get("/"))
    assert "Upcoming meetings" in viewer and "Overdue actions" in viewer
    assert "SOON-PUBLIC" in viewer and "LATE-PUBLIC" in viewer
    assert "SOON-RESTRICTED" not in viewer and "LATE-RESTRICTED" not in viewer
    assert "1 in the next 30 days" in viewer
    assert "RESTRICTED-SERIES" not in viewer
    editor = text(client_for(world.users.editor).get("/"))
    assert "SOON-RESTRICTED" in editor and "LATE-RESTRICTED" in editor
    assert "2 in the next 30 days" in editor


def test_the_overdue_series_panel(world, mw, client_for):
    # The staff talks are yearly; their latest meeting was in January 2024.
    page = text(client_for(world.users.viewer).get("/"))
    section = page[page.index("overdue-series-h") :]
    assert "OSCE–UN staff talks" in section
    assert "RESTRICTED-SERIES" not in page
    assert "RESTRICTED-SERIES" in text(client_for(world.users.editor).get("/"))


def test_my_actions_are_each_users_own(world, mw, client_for, client):
    services.action_create(actor=None, title="EDITOR-OWNS", owner_user=world.users.editor)
    services.action_create(actor=None, title="ADMIN-OWNS", owner_user=world.users.admin)
    # Read twice each: a page kept for the editors' audience must not reach the admin.
    for _ in range(2):
        client.force_login(world.users.editor)
        page = text(client.get("/actions/?owner=me"))
        assert "EDITOR-OWNS" in page and "ADMIN-OWNS" not in page
        client.force_login(world.users.admin)
        page = text(client.get("/actions/?owner=me"))
        assert "ADMIN-OWNS" in page and "EDITOR-OWNS" not in page


def test_the_action_list_links_to_each_partners_actions(world, mw, client_for):
    page = text(client_for(world.users.viewer).get("/actions/"))
    assert "?organization=UN" in page
    assert "?organization=SCO" not in page  # its only action is restricted
    filtered = client_for(world.users.viewer).get("/actions/?organization=UN")
    assert result_count(filtered) == 1


def test_the_lists_export_what_they_show(world, mw, client_for):
    viewer = client_for(world.users.viewer)
    response = viewer.get("/meetings/export/?format=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Staff talks 2024" in body and "UN-SHARED-MEETING" in body
    assert "RESTRICTED" not in body
    assert "Europe/Vienna" in body
    response = viewer.get("/actions/export/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxml")
    response = viewer.get("/meetings/export/?format=csv&status=held")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Staff talks 2024" in body and "UN-SHARED-MEETING" not in body


def test_bad_filters_are_told_not_crashed(world, mw, client_for):
    client = client_for(world.users.viewer)
    for url in (
        "/meetings/?date_from=yesterday",
        "/meetings/?organization=NOPE",
        "/meetings/?series=99999999999999999999",
        "/meetings/?theme=%00",
        "/actions/?due_to=31.31.2024",
        "/actions/?status=sleeping",
        "/meetings/series/?kind=nothing",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "alert-warning" in text(response), url
    for url in (
        "/meetings/99999999999999999999/",
        "/meetings/abc/",
        "/actions/0/",
        "/meetings/series/99999999999999999999/",
    ):
        assert client.get(url).status_code == 404, url
