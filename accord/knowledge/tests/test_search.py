"""Practices, requests and commitments in the workspace-wide search: found by stem and phrase,
only where the policy lets the user see them, and kept in step with every write."""

import pytest

from accord.core.choices import Classification
from accord.knowledge import services
from accord.registry import services as registry
from accord.search.models import SearchEntry
from accord.search.selectors import Filters, search

pytestmark = pytest.mark.django_db


def found(user, text, **filters):
    return [(hit.kind, hit.id) for hit in search(user, text, filters=Filters(**filters)).hits]


def test_a_practice_is_found_by_a_stemmed_word(world, kw):
    # "observation" and "observers" (title, summary, body) are found by "observe".
    assert found(world.users.viewer, "observe") == [("practice", kw.public.pk)]
    assert found(world.users.viewer, "TRAINING observing") == [("practice", kw.public.pk)]
    # The region is in its document too.
    assert ("practice", kw.public.pk) in found(world.users.viewer, "central asia")


def test_a_practice_is_found_by_a_phrase(world, kw):
    viewer = world.users.viewer
    assert found(viewer, '"election observation"') == [("practice", kw.public.pk)]
    assert found(viewer, '"observation election"') == []
    assert found(viewer, "observation election") == [("practice", kw.public.pk)]


def test_a_practices_document_carries_its_facets(world, kw):
    [hit] = search(world.users.admin, "handbook").hits
    assert hit.url == f"/knowledge/practices/{kw.public.pk}/"
    entry = SearchEntry.objects.get(kind="practice", object_id=kw.public.pk)
    assert entry.year == 2023
    assert {row.theme_id for row in entry.themes.all()} == {kw.rights.pk}
    assert {row.organization_id for row in entry.organizations.all()} == {
        world.un.pk,
        world.sco.pk,
    }


def test_a_restricted_practice_is_never_found_or_counted(world, kw, mw):
    for user in (world.users.viewer, world.users.partner, mw.sco_partner, world.users.norole):
        result = search(user, "RESTRICTED-PRACTICE")
        assert result.count == 0, user
        assert result.hits == []
        assert all(values == [] for values in result.facets.values()), user
        # Counted nowhere among the practices the user does see.
        practices = search(user, "practice", filters=Filters(kind="practice"))
        assert kw.restricted.pk not in [hit.id for hit in practices.hits]
        assert practices.count == len(practices.hits)
    admin = search(world.users.admin, "RESTRICTED-PRACTICE", filters=Filters(kind="practice"))
    assert [hit.id for hit in admin.hits] == [kw.restricted.pk]


def test_a_viewer_counts_the_internal_practices_but_not_the_restricted_one(world, kw):
    viewer = search(world.users.viewer, "practice", filters=Filters(kind="practice"))
    assert {hit.id for hit in viewer.hits} == {kw.shared.pk, kw.internal.pk}
    assert viewer.count == 2
    assert {v.value: v.count for v in viewer.facets["kind"]}.get("practice") == 2
    editor = search(world.users.editor, "practice", filters=Filters(kind="practice"))
    assert editor.count == 3


def test_a_partner_finds_its_own_organizations_request_not_anothers(world, kw, mw):
    un_partner, sco_partner = world.users.partner, mw.sco_partner
    # The UN's request (internal, shared with the UN), by its subject and its description.
    assert found(un_partner, "briefing") == [("request", kw.un_request.pk)]
    assert found(un_partner, "conflict prevention centre", kind="request") == [
        ("request", kw.un_request.pk)
    ]
    assert found(sco_partner, "briefing") == []
    # The SCO's request is public, and still only the SCO's focal points find it.
    assert found(sco_partner, "SCO-PUBLIC-REQUEST", kind="request") == [
        ("request", kw.sco_request.pk)
    ]
    result = search(un_partner, "SCO-PUBLIC-REQUEST", filters=Filters(kind="request"))
    assert result.count == 0
    assert result.facets["kind"] == []
    # The UN's restricted request: not even the UN's focal point.
    assert found(un_partner, "RESTRICTED-REQUEST", kind="request") == []
    assert found(world.users.viewer, "SCO-PUBLIC-REQUEST", kind="request") == [
        ("request", kw.sco_request.pk)
    ]


def test_a_requests_answer_is_found(world, kw, editor_user):
    services.request_answer(
        actor=editor_user,
        request=kw.un_request,
        expected_version=kw.un_request.version,
        answer="We sent the mediation guidance.",
    )
    assert found(world.users.partner, "mediate") == [("request", kw.un_request.pk)]
    entry = SearchEntry.objects.get(kind="request", object_id=kw.un_request.pk)
    assert entry.year == 2024
    assert [row.organization_id for row in entry.organizations.all()] == [world.un.pk]


def test_a_commitment_is_found_by_its_reference_and_its_documents_title(world, kw):
    viewer = world.users.viewer
    [hit] = search(viewer, '"chapter viii" helsinki', filters=Filters(kind="commitment")).hits
    assert hit.id == kw.commitment.pk
    assert hit.title == "Helsinki Document 1992, Chapter VIII, para 3"
    assert found(viewer, "regional organizations", kind="commitment") == [
        ("commitment", kw.commitment.pk)
    ]
    # The one on the restricted document is not.
    assert found(viewer, "RESTRICTED-COMMITMENT") == []
    assert found(world.users.admin, "RESTRICTED-COMMITMENT") == [
        ("commitment", kw.secret_commitment.pk)
    ]


def test_the_index_follows_an_update_and_a_delete(world, kw, editor_user):
    viewer = world.users.viewer
    practice = services.practice_update(
        actor=editor_user,
        practice=kw.public,
        expected_version=kw.public.version,
        title="Ceasefire monitoring handbook",
        summary="How monitors are deployed.",
        body="",
    )
    assert found(viewer, "election") == []
    assert found(viewer, "observe") == []
    assert found(viewer, "monitor deploy") == [("practice", practice.pk)]
    # Made restricted, it is no longer found by a viewer.
    practice = services.practice_update(
        actor=editor_user,
        practice=practice,
        expected_version=practice.version,
        classification=Classification.RESTRICTED,
    )
    assert found(viewer, "ceasefire") == []
    assert found(world.users.admin, "ceasefire") == [("practice", practice.pk)]
    services.practice_delete(actor=editor_user, practice=practice)
    assert found(world.users.admin, "ceasefire") == []
    assert not SearchEntry.objects.filter(kind="practice", object_id=practice.pk).exists()


def test_a_commitment_follows_its_documents_title_and_its_delete(world, kw, editor_user):
    registry.document_update(
        actor=editor_user,
        document=world.doc,
        expected_version=world.doc.version,
        title="Helsinki Summit Declaration",
    )
    [hit] = search(world.users.viewer, "declaration", filters=Filters(kind="commitment")).hits
    assert hit.title == "Helsinki Summit Declaration, Chapter VIII, para 3"
    services.commitment_delete(actor=editor_user, commitment=kw.commitment)
    assert found(world.users.viewer, "declaration", kind="commitment") == []
    assert not SearchEntry.objects.filter(kind="commitment", object_id=kw.commitment.pk).exists()


def test_a_request_delete_leaves_the_index(world, kw, editor_user):
    services.request_delete(actor=editor_user, request=kw.sco_request)
    assert found(world.users.admin, "SCO-PUBLIC-REQUEST", kind="request") == []


@pytest.fixture
def editor_user(world):
    return world.users.editor
