"""Every change is recorded with who made it and what it changed, and can be undone."""

import re

import pytest

from accord.registry import services
from accord.registry.models import Organization

RESTORE_BUTTON = "Restore this version"
DIFF_ROW = re.compile(
    r"<tr><td>(?P<label>[^<]*)</td><td class=\"diff-old\">(?P<old>[^<]*)</td>"
    r"<td class=\"diff-new\">(?P<new>[^<]*)</td></tr>"
)


def differences(html: str) -> list[tuple[str, str, str]]:
    return [(m["label"], m["old"], m["new"]) for m in DIFF_ROW.finditer(html)]


def edit_form(client, url) -> dict:
    form = client.get(url).context["form"]
    data = {}
    for field in form:
        value = field.field.prepare_value(field.value())
        if value is True:
            data[field.name] = "on"
        elif value not in (None, False):
            data[field.name] = value
    return data


@pytest.fixture
def edited_un(world, client_for):
    """UN with its seat moved to Geneva by the editor through the web form."""
    editor = client_for(world.users.editor)
    data = edit_form(editor, "/organizations/UN/edit/")
    response = editor.post("/organizations/UN/edit/", {**data, "headquarters": "Geneva"})
    assert response.status_code == 302
    return Organization.objects.get(acronym="UN")


def test_a_web_edit_records_who_changed_what(world, edited_un, client_for):
    latest = edited_un.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == world.users.editor
    assert latest.headquarters == "Geneva"
    assert edited_un.history.last().headquarters == "New York"

    page = client_for(world.users.viewer).get("/organizations/UN/history/")
    assert page.status_code == 200
    html = page.content.decode()
    # The newest change first, with its author and the old and new value.
    assert differences(html)[0] == ("Headquarters", "New York", "Geneva")
    assert "editor" in html


def test_the_history_shows_only_what_changed(world, edited_un, client_for):
    html = client_for(world.users.viewer).get("/organizations/UN/history/").content.decode()
    changed = [d for d in differences(html) if d[1] != "—"]
    assert changed == [("Headquarters", "New York", "Geneva")]


def test_an_editor_restores_an_earlier_version(world, edited_un, client_for):
    editor = client_for(world.users.editor)
    page = editor.get("/organizations/UN/history/").content.decode()
    assert RESTORE_BUTTON in page
    original = edited_un.history.earliest("history_id")
    response = editor.post(
        "/organizations/UN/history/",
        {"history_id": original.history_id, "version": edited_un.version},
    )
    assert response.status_code == 302
    un = Organization.objects.get(acronym="UN")
    assert (un.headquarters, un.version) == ("New York", 3)
    assert un.history.count() == 3
    restored = un.history.first()
    assert restored.history_user == world.users.editor
    assert restored.history_change_reason.startswith("Restored the version of")

    html = editor.get("/organizations/UN/history/").content.decode()
    assert differences(html)[0] == ("Headquarters", "Geneva", "New York")
    assert "Restored the version of" in html


def test_restoring_with_a_stale_version_changes_nothing(world, edited_un, client_for):
    editor = client_for(world.users.editor)
    original = edited_un.history.earliest("history_id")
    response = editor.post(
        "/organizations/UN/history/", {"history_id": original.history_id, "version": 1}
    )
    assert response.status_code == 302
    un = Organization.objects.get(acronym="UN")
    assert (un.headquarters, un.version) == ("Geneva", 2)
    page = editor.get(response["Location"]).content.decode()
    assert "Someone else changed this record" in page


def test_restoring_another_records_history_changes_nothing(world, edited_un, client_for):
    foreign = world.sco.history.first()
    response = client_for(world.users.editor).post(
        "/organizations/UN/history/", {"history_id": foreign.history_id, "version": 2}
    )
    assert response.status_code == 302
    un = Organization.objects.get(acronym="UN")
    assert (un.name, un.version) == ("United Nations", 2)


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_a_viewer_may_not_restore(world, edited_un, client_for, role):
    client = client_for(getattr(world.users, role))
    page = client.get("/organizations/UN/history/").content.decode()
    assert RESTORE_BUTTON not in page
    original = edited_un.history.earliest("history_id")
    response = client.post(
        "/organizations/UN/history/", {"history_id": original.history_id, "version": 2}
    )
    assert response.status_code == 403
    un = Organization.objects.get(acronym="UN")
    assert (un.headquarters, un.version, un.history.count()) == ("Geneva", 2, 2)


HIDDEN = [
    ("viewer", "p_sco"),
    ("viewer", "restricted_person"),
    ("viewer", "secret_doc"),
    ("partner", "p_sco"),
    ("partner", "internal_person"),
    ("partner", "restricted_person"),
    ("partner", "secret_doc"),
]


def test_history_of_a_hidden_record_is_404(world, client_for):
    for role, record in HIDDEN:
        obj = getattr(world, record)
        url = obj.get_absolute_url() + "history/"
        assert client_for(world.users.editor).get(url).status_code == 200
        client = client_for(getattr(world.users, role))
        assert client.get(url).status_code == 404, (role, record)
        response = client.post(
            url, {"history_id": obj.history.first().history_id, "version": obj.version}
        )
        assert response.status_code in {403, 404}, (role, record)
        assert obj.history.count() == 1


def test_changes_through_services_and_the_api_are_attributed(world, client_for):
    services.person_update(
        actor=world.users.admin,
        person=world.shared_person,
        expected_version=1,
        title="Liaison",
    )
    assert world.shared_person.history.first().history_user == world.users.admin
    response = client_for(world.users.editor).patch(
        f"/api/v1/documents/{world.doc.pk}",
        data={"version": 1, "place": "Helsingfors"},
        content_type="application/json",
    )
    assert response.status_code == 200
    latest = world.doc.history.first()
    assert (latest.history_user, latest.place) == (world.users.editor, "Helsingfors")
    html = client_for(world.users.viewer).get(f"/documents/{world.doc.pk}/history/")
    assert ("Place", "Helsinki", "Helsingfors") in differences(html.content.decode())


def test_a_membership_history_names_the_country_not_its_id(world, client_for):
    spell = world.osce.memberships.get(country__iso3="FRA")
    services.membership_update(
        actor=world.users.editor, membership=spell, expected_version=1, status="suspended"
    )
    html = client_for(world.users.viewer).get(f"/memberships/{spell.pk}/history/")
    html = html.content.decode()
    assert ("Status", "Full member", "Suspended") in differences(html)
    assert "France" in html
