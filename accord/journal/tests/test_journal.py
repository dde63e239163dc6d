"""The journal: dated notes on records, through the policy, in pages and the API."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.core import services as core
from accord.core.choices import Classification
from accord.core.exceptions import ConflictError
from accord.core.models import Deletion
from accord.journal import services
from accord.journal.models import JournalEntry
from accord.registry import services as registry
from accord.registry.models import Partnership

DAY = datetime.date(2025, 3, 14)


@pytest.fixture
def notes(world):
    """Entries of each classification on a visible record, and a public one on a hidden one."""
    editor = world.users.editor
    world.public_note = services.journal_entry_create(
        actor=editor,
        assigned_object=world.un,
        date=DAY,
        kind="call",
        text="PUBLIC-CALL with the UN\nsecond line <b>bold</b>",
        classification=Classification.PUBLIC,
    )
    world.internal_note = services.journal_entry_create(
        actor=editor,
        assigned_object=world.un,
        date=DAY - datetime.timedelta(days=1),
        kind="letter",
        text="INTERNAL-LETTER to the UN",
        classification=Classification.INTERNAL,
    )
    world.restricted_note = services.journal_entry_create(
        actor=editor,
        assigned_object=world.un,
        date=DAY - datetime.timedelta(days=2),
        kind="conversation",
        text="RESTRICTED-TALK with the UN",
        classification=Classification.RESTRICTED,
    )
    # Public, but on the restricted OSCE–SCO partnership: hidden with it.
    world.hidden_record_note = services.journal_entry_create(
        actor=editor,
        assigned_object=world.p_sco,
        date=DAY,
        kind="meeting",
        text="ON-HIDDEN-RECORD meeting note",
        classification=Classification.PUBLIC,
    )
    return world


def api(client, method, url, body=None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


# ---------------------------------------------------------------- services


def test_create_sets_author_and_writes_history(notes):
    entry = notes.public_note
    assert entry.author == notes.users.editor
    assert entry.assigned_object == notes.un
    assert entry.history.count() == 1
    assert entry.history.first().history_user == notes.users.editor


def test_update_checks_the_version_and_keeps_record_and_author(notes):
    entry = notes.public_note
    updated = services.journal_entry_update(
        actor=notes.users.admin, entry=entry, expected_version=1, text="Changed", author=None
    )
    assert updated.version == 2 and updated.text == "Changed"
    assert updated.author == notes.users.editor
    with pytest.raises(ConflictError):
        services.journal_entry_update(
            actor=notes.users.admin, entry=entry, expected_version=1, text="Lost update"
        )


def test_viewers_cannot_write(notes):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.journal_entry_create(
            actor=notes.users.viewer, assigned_object=notes.un, date=DAY, text="x"
        )


def test_empty_text_and_unjournaled_records_are_refused(notes):
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_create(
            actor=notes.users.editor, assigned_object=notes.un, date=DAY, text=""
        )
    assert "text" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_create(
            actor=notes.users.editor, assigned_object=notes.countries["FRA"], date=DAY, text="x"
        )
    assert "assigned_object_type" in exc.value.message_dict


def test_deleting_a_record_deletes_its_entries_and_restoring_brings_them_back(notes):
    partnership = registry.partnership_create(
        actor=None, organization=notes.un, partner=notes.sco, type="other"
    )
    entry = services.journal_entry_create(
        actor=notes.users.editor,
        assigned_object=partnership,
        date=DAY,
        text="Goes and comes back",
        shared_with=[notes.un],
    )
    deletion = registry.partnership_delete(actor=notes.users.editor, partnership=partnership)
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    assert {"model": "journal.journalentry", "count": 1} in deletion.contents
    core.restore_deletion(Deletion.objects.get(pk=deletion.pk), actor=notes.users.editor)
    back = JournalEntry.objects.get(pk=entry.pk)
    assert back.assigned_object == Partnership.objects.get(pk=partnership.pk)
    assert back.text == "Goes and comes back"
    assert back.author == notes.users.editor
    assert list(back.shared_with.all()) == [notes.un]


def test_an_entry_is_deleted_alone_and_can_be_undone(notes):
    deletion = services.journal_entry_delete(
        actor=notes.users.editor, entry=notes.internal_note, expected_version=1
    )
    assert not JournalEntry.objects.filter(pk=notes.internal_note.pk).exists()
    core.restore_deletion(deletion, actor=notes.users.editor)
    assert JournalEntry.objects.filter(pk=notes.internal_note.pk).exists()


# ---------------------------------------------------------------- the policy


@pytest.mark.parametrize(
    ("role", "texts"),
    [
        ("editor", {"PUBLIC-CALL", "INTERNAL-LETTER", "RESTRICTED-TALK", "ON-HIDDEN-RECORD"}),
        ("viewer", {"PUBLIC-CALL", "INTERNAL-LETTER"}),
        ("partner", {"PUBLIC-CALL"}),
    ],
)
def test_each_role_sees_only_entries_it_may_see_on_records_it_may_see(
    notes, client_for, role, texts
):
    everything = {"PUBLIC-CALL", "INTERNAL-LETTER", "RESTRICTED-TALK", "ON-HIDDEN-RECORD"}
    client = client_for(getattr(notes.users, role))
    listing = client.get("/api/v1/journal-entries").json()
    assert listing["count"] == len(texts)
    assert {i["text"].split()[0] for i in listing["items"]} == texts
    for url in ("/journal/", "/organizations/UN/journal/", "/organizations/UN/", "/journal/?q=a"):
        page = client.get(url).content.decode()
        for text in everything - texts:
            assert text not in page, (url, text)
    assert "PUBLIC-CALL" in client.get("/organizations/UN/").content.decode()
    hidden_status = 200 if role == "editor" else 404
    assert client.get(f"/journal/{notes.hidden_record_note.pk}/").status_code == hidden_status
    response = client.get(f"/api/v1/journal-entries/{notes.hidden_record_note.pk}")
    assert response.status_code == hidden_status


def test_a_partner_sees_an_internal_entry_shared_with_its_organization(notes, client_for):
    services.journal_entry_update(
        actor=notes.users.editor,
        entry=notes.internal_note,
        expected_version=1,
        shared_with=[notes.un],
    )
    client = client_for(notes.users.partner)
    page = client.get("/organizations/UN/").content.decode()
    assert "INTERNAL-LETTER" in page
    assert "RESTRICTED-TALK" not in page


def test_filters_on_a_hidden_record_answer_as_on_a_missing_one(notes, client_for):
    client = client_for(notes.users.viewer)
    base = "/api/v1/journal-entries?assigned_object_type=registry.partnership&assigned_object_id="
    hidden = client.get(f"{base}{notes.p_sco.pk}")
    missing = client.get(f"{base}987654")
    assert hidden.status_code == missing.status_code == 200
    assert hidden.json() == missing.json() == {"count": 0, "items": []}


def test_an_editor_filters_the_api_as_netbox_does(notes, client_for):
    client = client_for(notes.users.editor)
    url = (
        "/api/v1/journal-entries?assigned_object_type=registry.organization"
        f"&assigned_object_id={notes.un.pk}&kind=call"
    )
    items = client.get(url).json()["items"]
    assert [i["id"] for i in items] == [notes.public_note.pk]
    assert items[0]["assigned_object"] == "UN"
    assert items[0]["author"] == "editor"
    dated = client.get("/api/v1/journal-entries?date_after=2025-03-14&date_before=2025-03-14")
    assert {i["id"] for i in dated.json()["items"]} == {
        notes.public_note.pk,
        notes.hidden_record_note.pk,
    }


# ---------------------------------------------------------------- API input


def test_api_create_update_delete(notes, client_for):
    client = client_for(notes.users.editor)
    body = {
        "assigned_object_type": "registry.organization",
        "assigned_object_id": notes.sco.pk,
        "date": "2025-05-01",
        "kind": "email",
        "text": "Sent the agenda",
        "classification": "public",
        "shared_with": ["UN"],
    }
    created = api(client, "post", "/api/v1/journal-entries", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["assigned_object_type"] == "registry.organization"
    assert data["author"] == "editor"
    url = f"/api/v1/journal-entries/{data['id']}"
    stale = api(client, "patch", url, {"version": 99, "text": "No"})
    assert stale.status_code == 409
    changed = api(client, "patch", url, {"version": 1, "text": "Sent the agenda again"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert client.delete(f"{url}?version=2").status_code == 204
    assert client.get(url).status_code == 404


BAD_BODIES = [
    ({"text": ""}, "text"),
    ({"text": "x" * 20_001}, "text"),
    ({"text": 5}, "text"),
    ({"date": "0"}, "date"),
    ({"date": "2025-02-30"}, "date"),
    ({"date": None}, "date"),
    ({"kind": "telegram"}, "kind"),
    ({"assigned_object_type": "registry.country"}, "assigned_object_type"),
    ({"assigned_object_type": "x" * 500}, "assigned_object_type"),
    ({"assigned_object_id": 2**64}, "assigned_object_id"),
    ({"assigned_object_id": "12"}, "assigned_object_id"),
    ({"assigned_object_id": 987654}, "assigned_object_id"),
    ({"classification": "secret"}, "classification"),
    ({"shared_with": ["NOPE"]}, "shared_with"),
    ({"text": "bad\x01control"}, "text"),
]


@pytest.mark.parametrize(("change", "field"), BAD_BODIES)
def test_bad_input_is_a_422_naming_the_field(notes, client_for, change, field):
    client = client_for(notes.users.editor)
    body = {
        "assigned_object_type": "registry.organization",
        "assigned_object_id": notes.un.pk,
        "date": "2025-05-01",
        "text": "ok",
        **change,
    }
    before = JournalEntry.objects.count()
    response = api(client, "post", "/api/v1/journal-entries", body)
    assert response.status_code == 422, response.content
    assert field in {d["loc"][-1] for d in response.json()["detail"]}, response.content
    assert JournalEntry.objects.count() == before


@pytest.mark.parametrize("body", [{"text": None}, {"date": None}, {"kind": None}, {"text": ""}])
def test_bad_patches_are_422(notes, client_for, body):
    client = client_for(notes.users.editor)
    url = f"/api/v1/journal-entries/{notes.public_note.pk}"
    response = api(client, "patch", url, {"version": 1, **body})
    assert response.status_code == 422, response.content
    assert JournalEntry.objects.get(pk=notes.public_note.pk).version == 1


@pytest.mark.parametrize(
    "query",
    [
        "assigned_object_type=auth.user",
        "assigned_object_id=99999999999999999999",
        "assigned_object_id=abc",
        "date_after=yesterday",
        "search=" + "x" * 300,
        "kind=%00",
    ],
)
def test_bad_filters_are_4xx_not_500(notes, client_for, query):
    response = client_for(notes.users.viewer).get(f"/api/v1/journal-entries?{query}")
    assert response.status_code in (400, 422), response.content


# ---------------------------------------------------------------- pages


def test_the_panel_adds_an_entry_with_htmx_and_escapes_text(notes, client_for):
    client = client_for(notes.users.editor)
    page = client.get("/organizations/UN/").content.decode()
    assert 'id="journal"' in page and "second line &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<br>second line" in page
    response = client.post(
        "/organizations/UN/journal/",
        {
            "date": "2025-06-01",
            "kind": "call",
            "text": "Phoned <script>",
            "classification": "internal",
        },
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="journal",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phoned &lt;script&gt;" in html and "<html" not in html
    entry = JournalEntry.objects.get(text="Phoned <script>")
    assert entry.author == notes.users.editor and entry.assigned_object == notes.un


def test_the_panel_form_shows_errors(notes, client_for):
    client = client_for(notes.users.editor)
    response = client.post(
        f"/partnerships/{notes.p_un.pk}/journal/",
        {"date": "not a day", "kind": "call", "text": "", "classification": "internal"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'role="alert"' in html and "This field is required." in html
    response = client.post(
        f"/partnerships/{notes.p_un.pk}/journal/",
        {"date": "2025-01-01", "kind": "call", "text": "", "classification": "internal"},
    )
    assert response.status_code == 400


def test_viewers_get_no_form_and_cannot_post(notes, client_for):
    client = client_for(notes.users.viewer)
    assert "Add a journal entry" not in client.get("/organizations/UN/").content.decode()
    before = JournalEntry.objects.count()
    response = client.post("/organizations/UN/journal/", {"date": "2025-01-01", "text": "x"})
    assert response.status_code == 403
    response = client.post(f"/partnerships/{notes.p_sco.pk}/journal/", {"text": "x"})
    assert response.status_code in (403, 404)
    assert JournalEntry.objects.count() == before


def test_global_list_filters(notes, client_for):
    client = client_for(notes.users.editor)
    page = client.get("/journal/?kind=letter").content.decode()
    assert "INTERNAL-LETTER" in page and "PUBLIC-CALL" not in page
    page = client.get("/journal/?record=registry.partnership").content.decode()
    assert "ON-HIDDEN-RECORD" in page and "PUBLIC-CALL" not in page
    page = client.get("/journal/?date_after=2025-03-13&date_before=2025-03-13").content.decode()
    assert "INTERNAL-LETTER" in page and "PUBLIC-CALL" not in page
    page = client.get(f"/journal/?author={notes.users.editor.pk}").content.decode()
    assert "PUBLIC-CALL" in page
    assert client.get("/journal/?author=99999999999999999999999").status_code == 200


def test_the_author_filter_names_only_authors_of_visible_entries(notes, client_for):
    services.journal_entry_create(
        actor=notes.users.admin,
        assigned_object=notes.p_sco,
        date=DAY,
        text="by admin",
        classification="public",
    )
    page = client_for(notes.users.viewer).get("/journal/").content.decode()
    assert ">admin<" not in page


# ---------------------------------------------------------------- query counts


def grow(world, n):
    have = JournalEntry.objects.count()
    for i in range(have, n):
        record = [world.un, world.p_un, world.shared_person, world.doc][i % 4]
        services.journal_entry_create(
            actor=world.users.editor,
            assigned_object=record,
            date=DAY - datetime.timedelta(days=i),
            text=f"Entry {i}",
            classification="public",
        )


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/journal/",
        "/journal/?record=registry.organization",
        "/organizations/UN/",
        "/organizations/UN/journal/",
        "/api/v1/journal-entries",
        "/api/v1/journal-entries?assigned_object_type=registry.organization",
        "/",
    ],
)
@pytest.mark.parametrize("role", ["editor", "partner"])
def test_query_count_does_not_grow_with_entries(world, client_for, url, role):
    client = client_for(getattr(world.users, role))
    grow(world, 5)
    client.get(url)  # warm caches (content types, sessions)
    small = count(client, url)
    grow(world, 60)
    assert count(client, url) == small, url


def test_the_demo_has_journal_entries_and_review_dates(db):
    from accord.importers.demo import load_demo
    from accord.registry.selectors import reviews_due

    load_demo()
    assert JournalEntry.objects.count() == 6
    load_demo()  # idempotent
    assert JournalEntry.objects.count() == 6
    assert Partnership.objects.filter(review_on__isnull=False).count() == 5

    due = reviews_due(user=None, today=datetime.date(2026, 12, 1))
    assert due == []  # no role, nothing
