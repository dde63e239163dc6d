"""Deletes that can be undone: what goes with a record is shown, recorded and brought back."""

import pytest

from accord.core.models import Deletion
from accord.registry import services
from accord.registry.models import Membership, Organization, Partnership, Person


@pytest.fixture
def sco_linked(world):
    """SCO with its 3 spells and its restricted partnership, which has a basis and a person."""
    p = services.partnership_update(
        actor=None, partnership=world.p_sco, expected_version=world.p_sco.version, basis=[world.doc]
    )
    person = services.person_create(
        actor=None, name="Sergei Liaison", organization=world.osce, partnership=p
    )
    return p, person


def test_the_confirm_page_lists_what_goes_with_it(world, sco_linked, client_for):
    text = client_for(world.users.editor).get("/organizations/SCO/delete/").content.decode()
    assert "<strong>3</strong> memberships" in text
    assert "<strong>1</strong> partnership" in text
    assert "1 person lose their “focal point for”" in text


def test_the_confirm_page_says_what_blocks_a_delete(world, client_for):
    response = client_for(world.users.editor).get("/organizations/UN/delete/")
    text = response.content.decode()
    assert (
        "It cannot be deleted while these refer to it: 1 person (Una Shared); 1 profile (partner "
        in text
    )
    assert 'type="submit" disabled' in text


def test_an_organization_comes_back_with_its_spells_links_and_people(world, sco_linked, client_for):
    partnership, person = sco_linked
    sco_pk = world.sco.pk
    spells = sorted(
        Membership.objects.filter(organization=world.sco).values_list(
            "pk", "country__iso3", "status", "valid_from"
        )
    )
    client = client_for(world.users.editor)
    response = client.post("/organizations/SCO/delete/", {"version": world.sco.version})
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=sco_pk).exists()
    assert not Membership.objects.filter(organization_id=sco_pk).exists()
    assert Person.objects.get(pk=person.pk).partnership is None
    # The person's lost link is a change in its history, with a reason.
    latest = Person.objects.get(pk=person.pk).history.order_by("-history_id").first()
    assert latest.history_type == "~" and "removed by its deletion" in latest.history_change_reason

    deletion = Deletion.objects.exclude(pk=world.deletion.pk).get()
    assert deletion.label == "SCO" and deletion.user == world.users.editor
    listing = client.get("/deleted/").content.decode()
    assert "SCO" in listing and "3 memberships" in listing and "1 partnership" in listing
    page = client.get(deletion.get_absolute_url()).content.decode()
    assert "Bring it back" in page
    assert "Shanghai Cooperation Organisation" in page  # its history is readable
    # The latest changes show one deletion, not one per spell.
    dashboard = client.get("/").content.decode()
    assert dashboard.count("deleted") >= 1
    assert dashboard.count(f'href="{deletion.get_absolute_url()}"') == 1
    assert "Russia in SCO" not in dashboard

    response = client.post(deletion.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == "/organizations/SCO/"
    sco = Organization.objects.get(pk=sco_pk)
    assert sco.name == "Shanghai Cooperation Organisation"
    assert (
        sorted(
            Membership.objects.filter(organization=sco).values_list(
                "pk", "country__iso3", "status", "valid_from"
            )
        )
        == spells
    )
    restored = Partnership.objects.get(pk=partnership.pk)
    assert list(restored.basis.all()) == [world.doc]
    assert restored.classification == "restricted"
    assert Person.objects.get(pk=person.pk).partnership_id == partnership.pk
    assert sco.history.order_by("-history_id").first().history_change_reason == (
        "Restored after its deletion"
    )
    deletion.refresh_from_db()
    assert deletion.restored is not None and deletion.restored_by == world.users.editor
    # Once is enough.
    again = client.post(deletion.get_absolute_url(), follow=True)
    assert "already undone" in again.content.decode()


def test_a_clash_with_a_record_made_since_refuses_the_restore(world, client_for):
    client = client_for(world.users.editor)
    client.post("/organizations/SCO/delete/", {"version": world.sco.version})
    services.organization_create(actor=None, acronym="SCO", name="Someone else", kind="other")
    deletion = Deletion.objects.exclude(pk=world.deletion.pk).get()
    response = client.post(deletion.get_absolute_url(), follow=True)
    assert "It cannot be brought back" in response.content.decode()
    assert Organization.objects.get(acronym="SCO").name == "Someone else"
    assert not Membership.objects.filter(organization__acronym="SCO").exists()
    deletion.refresh_from_db()
    assert deletion.restored is None


def test_an_api_delete_can_be_undone_too(world, client_for):
    client = client_for(world.users.editor)
    doc = world.doc
    response = client.delete(f"/api/v1/documents/{doc.pk}?version={doc.version}")
    assert response.status_code == 204
    deletion = Deletion.objects.exclude(pk=world.deletion.pk).get()
    assert deletion.model == "registry.frameworkdocument"
    # The public partnership lost its basis; bringing the document back links it again.
    assert list(Partnership.objects.get(pk=world.p_un.pk).basis.all()) == []
    client.post(deletion.get_absolute_url())
    assert Partnership.objects.get(pk=world.p_un.pk).basis.get().pk == doc.pk
    assert client.get(f"/api/v1/documents/{doc.pk}").json()["title"] == doc.title


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_only_editors_see_what_was_deleted(world, client_for, role):
    services.organization_delete(actor=world.users.editor, organization=world.sco)
    deletion = Deletion.objects.exclude(pk=world.deletion.pk).get()
    client = client_for(getattr(world.users, role))
    assert client.get("/deleted/").status_code == 403
    assert client.get(deletion.get_absolute_url()).status_code == 403
    assert client.post(deletion.get_absolute_url()).status_code == 403
    assert not Organization.objects.filter(acronym="SCO").exists()


def test_a_deleted_restricted_record_is_not_shown_to_a_viewer_in_latest_changes(world, client_for):
    services.partnership_delete(actor=world.users.editor, partnership=world.p_sco)
    viewer = client_for(world.users.viewer).get("/").content.decode()
    editor = client_for(world.users.editor).get("/").content.decode()
    assert "OSCE – SCO" in editor
    assert "OSCE – SCO" not in viewer


def test_an_admin_delete_is_recorded_and_undoable(world, client_for):
    client = client_for(world.users.admin)
    response = client.post(f"/admin/registry/organization/{world.sco.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    deletion = Deletion.objects.exclude(pk=world.deletion.pk).get()
    assert deletion.label == "SCO"
    client.post(deletion.get_absolute_url())
    assert Membership.objects.filter(organization__acronym="SCO").count() == 3


def test_history_of_the_deleted_record_names_links_to_deleted_records(world, client_for):
    """A partnership's history names its deleted basis document as deleted, not as an id."""
    doomed = services.document_create(
        actor=None, key="gone", title="Gone Doc", year=1999, kind="other", classification="public"
    )
    p = services.partnership_update(
        actor=None, partnership=world.p_un, expected_version=world.p_un.version, basis=[doomed]
    )
    services.document_delete(actor=None, document=doomed)
    text = client_for(world.users.editor).get(f"/partnerships/{p.pk}/history/").content.decode()
    assert "Gone Doc (1999) (deleted)" in text
    viewer = client_for(world.users.viewer).get(f"/partnerships/{p.pk}/history/").content.decode()
    assert "Gone Doc (1999) (deleted)" in viewer


def test_the_api_lists_deletions_and_brings_one_back(world, client_for):
    editor = client_for(world.users.editor)
    response = editor.delete(f"/api/v1/organizations/SCO?version={world.sco.version}")
    assert response.status_code == 204
    listed = editor.get("/api/v1/deleted").json()
    assert listed["count"] == 2
    newest = listed["items"][0]
    assert newest["label"] == "SCO" and newest["model"] == "registry.organization"
    assert {"model": "registry.membership", "count": 3} in newest["went_with_it"]
    restored = editor.post(f"/api/v1/deleted/{newest['id']}/restore")
    assert restored.status_code == 200
    assert restored.json()["restored"] is not None
    assert editor.get("/api/v1/organizations/SCO/members").json()["count"] == 3
    again = editor.post(f"/api/v1/deleted/{newest['id']}/restore")
    assert again.status_code == 422
    assert "already undone" in again.json()["detail"][0]["msg"]


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_the_deletions_api_is_for_editors(world, client_for, role):
    client = client_for(getattr(world.users, role))
    assert client.get("/api/v1/deleted").status_code == 403
    assert client.post(f"/api/v1/deleted/{world.deletion.pk}/restore").status_code == 403
