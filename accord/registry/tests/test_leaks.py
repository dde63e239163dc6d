"""Hidden records named by visible ones: lists, pages, history, API fields and filters.

Each test reproduces a leak an outside tester found; the policy walk (test_policy_walk.py)
covers the same ground for every route.
"""

import pytest

from accord.core.choices import Classification
from accord.registry import services


@pytest.fixture
def linked(world):
    """A public person who is the focal point of the restricted OSCE–SCO partnership."""
    person = services.person_create(
        actor=None,
        name="Pia Public",
        organization=world.un,
        partnership=world.p_sco,
        classification=Classification.PUBLIC,
    )
    return person


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_l1_people_list_does_not_name_a_hidden_partnership(world, linked, client_for, role):
    client = client_for(getattr(world.users, role))
    for url in ("/people/", "/people/?organization=UN", "/people/?q=Pia"):
        text = client.get(url).content.decode()
        assert "Pia Public" in text
        assert "OSCE – SCO" not in text, url
        assert f"/partnerships/{world.p_sco.pk}/" not in text, url


def test_l1_an_editor_still_sees_the_partnership_in_the_list(world, linked, client_for):
    text = client_for(world.users.editor).get("/people/?q=Pia").content.decode()
    assert "OSCE – SCO" in text


@pytest.fixture
def public_partnership_with_hidden_links(world):
    internal_doc = services.document_create(
        actor=None,
        key="internal-note",
        title="INTERNAL-ONLY-DOC",
        year=2021,
        kind="memorandum",
        classification=Classification.INTERNAL,
    )
    p = services.partnership_update(
        actor=None,
        partnership=world.p_un,
        expected_version=world.p_un.version,
        basis=[world.doc, world.secret_doc, internal_doc],
        shared_with=[world.sco],
    )
    return p, internal_doc


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_l2_a_public_partnership_hides_its_hidden_basis_and_sharing(
    world, public_partnership_with_hidden_links, client_for, role
):
    p, _doc = public_partnership_with_hidden_links
    client = client_for(getattr(world.users, role))
    for url in (f"/partnerships/{p.pk}/", f"/partnerships/{p.pk}/history/"):
        text = client.get(url).content.decode()
        assert "Helsinki Document 1992" in text, url
        assert "RESTRICTED-MEMO" not in text, url
        if role == "partner":  # the internal document is not shared with the UN
            assert "INTERNAL-ONLY-DOC" not in text, url
        assert "Shared with" not in text, url
    api = client.get(f"/api/v1/partnerships/{p.pk}").json()
    titles = [d["title"] for d in api["basis"]]
    assert "RESTRICTED-MEMO" not in titles


def test_l2_the_viewer_sees_the_internal_document_in_history(
    world, public_partnership_with_hidden_links, client_for
):
    p, _doc = public_partnership_with_hidden_links
    text = client_for(world.users.viewer).get(f"/partnerships/{p.pk}/history/").content.decode()
    assert "INTERNAL-ONLY-DOC" in text


def test_l2_an_editor_sees_everything_in_history(
    world, public_partnership_with_hidden_links, client_for
):
    p, _doc = public_partnership_with_hidden_links
    text = client_for(world.users.editor).get(f"/partnerships/{p.pk}/history/").content.decode()
    assert "RESTRICTED-MEMO" in text
    assert "Shared with" in text


@pytest.fixture
def declassified(world):
    """A person created restricted with a secret name, then renamed and made public."""
    person = services.person_create(
        actor=None,
        name="SECRET-OLD-NAME",
        title="SECRET-OLD-TITLE",
        organization=world.osce,
        classification=Classification.RESTRICTED,
    )
    person = services.person_update(
        actor=None,
        person=person,
        expected_version=person.version,
        name="Now Public",
        title="Liaison",
        classification=Classification.PUBLIC,
    )
    return services.person_update(
        actor=None, person=person, expected_version=person.version, phone="+43 1 000"
    )


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_l3_history_hides_versions_the_user_could_not_see(world, declassified, client_for, role):
    client = client_for(getattr(world.users, role))
    for url in (f"/people/{declassified.pk}/", f"/people/{declassified.pk}/history/"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Now Public" in text
        assert "SECRET-OLD" not in text, url
    # The change they could see, to the phone number, is still there.
    assert "+43 1 000" in client.get(f"/people/{declassified.pk}/history/").content.decode()


def test_l3_an_editor_sees_the_restricted_past(world, declassified, client_for):
    text = client_for(world.users.editor).get(f"/people/{declassified.pk}/history/")
    assert "SECRET-OLD-NAME" in text.content.decode()


def test_l3_partner_sees_only_versions_shared_with_them(world, client_for):
    person = services.person_create(
        actor=None,
        name="NOT-SHARED-YET",
        organization=world.un,
        classification=Classification.INTERNAL,
    )
    services.person_update(
        actor=None,
        person=person,
        expected_version=person.version,
        name="Shared Now",
        shared_with=[world.un],
    )
    client = client_for(world.users.partner)
    text = client.get(f"/people/{person.pk}/history/").content.decode()
    assert "Shared Now" in text
    assert "NOT-SHARED-YET" not in text
    viewer_text = client_for(world.users.viewer).get(f"/people/{person.pk}/history/")
    assert "NOT-SHARED-YET" in viewer_text.content.decode()


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_l4_a_person_page_and_history_do_not_name_a_hidden_partnership(
    world, linked, client_for, role
):
    client = client_for(getattr(world.users, role))
    for url in (f"/people/{linked.pk}/", f"/people/{linked.pk}/history/"):
        text = client.get(url).content.decode()
        assert "Pia Public" in text
        assert "OSCE – SCO" not in text, url


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_l5_api_gives_no_id_of_a_hidden_partnership(world, linked, client_for, role):
    client = client_for(getattr(world.users, role))
    assert client.get(f"/api/v1/persons/{linked.pk}").json()["partnership"] is None
    listed = client.get("/api/v1/persons?search=Pia").json()["items"]
    assert [p["partnership"] for p in listed] == [None]


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_l5_a_filter_on_a_hidden_id_answers_as_for_a_missing_one(world, linked, client_for, role):
    client = client_for(getattr(world.users, role))
    hidden = client.get(f"/api/v1/persons?partnership={world.p_sco.pk}")
    missing = client.get("/api/v1/persons?partnership=999999")
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["detail"][0]["loc"] == ["query", "partnership"]
    assert hidden.json()["detail"][0]["msg"].replace(str(world.p_sco.pk), "N") == (
        missing.json()["detail"][0]["msg"].replace("999999", "N")
    )


def test_l5_an_editor_filters_by_any_partnership(world, linked, client_for):
    client = client_for(world.users.editor)
    items = client.get(f"/api/v1/persons?partnership={world.p_sco.pk}").json()["items"]
    assert [p["name"] for p in items] == ["Pia Public"]
    assert items[0]["partnership"] == world.p_sco.pk
