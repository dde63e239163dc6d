"""Two people editing one record: the first save wins, the second is told and loses nothing."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.forms import CheckboxInput
from django.test import Client

from accord.core.choices import Role
from accord.core.exceptions import ConflictError
from accord.registry import services
from accord.registry.models import Membership, Organization
from conftest import make_user

CONFLICT = "Someone else changed this record while you were editing it"
VERSION = re.compile(r'<input type="hidden" name="version" value="(\d+)"')


@pytest.fixture
def second_editor(world, django_user_model):
    return make_user(django_user_model, "editor2", Role.EDITOR)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_form(client, url) -> dict:
    """GET an edit page and return what its form would submit, version included."""
    response = client.get(url)
    assert response.status_code == 200
    versions = VERSION.findall(response.content.decode())
    assert len(versions) == 1, "the form carries the version it was read at"
    data = {}
    for field in response.context["form"]:
        value = field.field.prepare_value(field.value())
        if isinstance(field.field.widget, CheckboxInput):
            if value:
                data[field.name] = "on"
            continue
        data[field.name] = "" if value is None else value
    assert str(data["version"]) == versions[0]
    return data


def test_the_second_of_two_editors_gets_a_conflict_and_the_first_change_stays(world, second_editor):
    alice, bob = logged_in(world.users.editor), logged_in(second_editor)
    alice_form = open_form(alice, "/organizations/UN/edit/")
    bob_form = open_form(bob, "/organizations/UN/edit/")
    assert alice_form["version"] == bob_form["version"] == 1

    response = alice.post("/organizations/UN/edit/", {**alice_form, "headquarters": "Geneva"})
    assert response.status_code == 302
    assert response["Location"] == "/organizations/UN/"

    response = bob.post("/organizations/UN/edit/", {**bob_form, "name": "United Nations (UN)"})
    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    # Bob's typing is still in the form, so he can make his change again after reloading.
    assert "United Nations (UN)" in response.content.decode()

    un = Organization.objects.get(acronym="UN")
    assert (un.headquarters, un.name, un.version) == ("Geneva", "United Nations", 2)
    assert un.history.count() == 2
    assert un.history.first().history_user == world.users.editor

    # After reloading, Bob sees Alice's change and his own save goes through.
    reloaded = open_form(bob, "/organizations/UN/edit/")
    assert (reloaded["version"], reloaded["headquarters"]) == (2, "Geneva")
    response = bob.post("/organizations/UN/edit/", {**reloaded, "name": "United Nations (UN)"})
    assert response.status_code == 302
    un.refresh_from_db()
    assert (un.headquarters, un.name, un.version) == ("Geneva", "United Nations (UN)", 3)


def test_a_form_without_its_version_is_refused(world):
    editor = logged_in(world.users.editor)
    form = open_form(editor, "/organizations/UN/edit/")
    del form["version"]
    response = editor.post("/organizations/UN/edit/", {**form, "headquarters": "Geneva"})
    assert response.status_code == 400
    assert Organization.objects.get(acronym="UN").headquarters == "New York"


def test_conflicting_person_edits_through_the_form(world, second_editor):
    url = f"/people/{world.shared_person.pk}/edit/"
    alice, bob = logged_in(world.users.editor), logged_in(second_editor)
    alice_form, bob_form = open_form(alice, url), open_form(bob, url)
    assert alice.post(url, {**alice_form, "title": "Liaison officer"}).status_code == 302
    response = bob.post(url, {**bob_form, "title": "Head of office"})
    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    world.shared_person.refresh_from_db()
    assert (world.shared_person.title, world.shared_person.version) == ("Liaison officer", 2)


def test_services_refuse_a_stale_version(world):
    editor = world.users.editor
    first = services.organization_update(
        actor=editor, organization=world.un, expected_version=1, headquarters="Geneva"
    )
    assert first.version == 2
    with pytest.raises(ConflictError) as caught:
        services.organization_update(
            actor=editor, organization=world.un, expected_version=1, headquarters="Nairobi"
        )
    assert caught.value.current_version == 2
    un = Organization.objects.get(pk=world.un.pk)
    assert (un.headquarters, un.version) == ("Geneva", 2)


@pytest.mark.parametrize(
    ("update", "target", "fields"),
    [
        ("membership_update", "membership", {"note": "x"}),
        ("partnership_update", "partnership", {"notes": "x"}),
        ("person_update", "person", {"title": "x"}),
        ("document_update", "document", {"place": "x"}),
    ],
)
def test_every_update_service_refuses_a_stale_version(world, update, target, fields):
    record = {
        "membership": Membership.objects.filter(organization=world.un).first(),
        "partnership": world.p_un,
        "person": world.shared_person,
        "document": world.doc,
    }[target]
    service = getattr(services, update)
    service(actor=world.users.editor, expected_version=1, **{target: record}, **fields)
    with pytest.raises(ConflictError):
        service(actor=world.users.editor, expected_version=1, **{target: record}, **fields)
    record.refresh_from_db()
    assert record.version == 2


def test_delete_with_a_stale_version_is_refused(world):
    services.organization_update(
        actor=world.users.editor, organization=world.sco, expected_version=1, founded=2000
    )
    with pytest.raises(ConflictError):
        services.organization_delete(
            actor=world.users.editor, organization=world.sco, expected_version=1
        )
    assert Organization.objects.filter(pk=world.sco.pk).exists()


def test_delete_page_with_a_stale_version_shows_the_conflict(world, second_editor):
    alice, bob = logged_in(world.users.editor), logged_in(second_editor)
    page = alice.get("/organizations/SCO/delete/")
    assert page.status_code == 200
    (version,) = VERSION.findall(page.content.decode())
    bob_form = open_form(bob, "/organizations/SCO/edit/")
    assert bob.post("/organizations/SCO/edit/", {**bob_form, "founded": 2002}).status_code == 302

    response = alice.post("/organizations/SCO/delete/", {"version": version})
    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    assert Organization.objects.get(acronym="SCO").founded == 2002

    (current,) = VERSION.findall(response.content.decode())
    response = alice.post("/organizations/SCO/delete/", {"version": current})
    assert response.status_code == 302
    assert not Organization.objects.filter(acronym="SCO").exists()


def test_a_viewer_cannot_update_through_services(world):
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=world.users.viewer, organization=world.un, expected_version=1, name="X"
        )
    with pytest.raises(PermissionDenied):
        services.membership_create(
            actor=world.users.viewer,
            organization=world.sco,
            country=world.countries["FRA"],
            status="observer",
            valid_from=datetime.date(2020, 1, 1),
        )
    assert Organization.objects.get(pk=world.un.pk).version == 1
