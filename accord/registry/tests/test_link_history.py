"""Changing who a record is shared with, or a partnership's basis, is one history entry."""

from accord.core.services import restore
from accord.registry import services
from accord.registry.models import Person


def test_sharing_is_recorded_shown_and_restored(world, client_for):
    person = world.internal_person
    entries = person.history.count()
    person = services.person_update(
        actor=world.users.editor,
        person=person,
        expected_version=person.version,
        shared_with=[world.un],
    )
    assert person.history.count() == entries + 1
    page = client_for(world.users.editor).get(f"/people/{person.pk}/history/")
    assert page.status_code == 200
    assert "<td>Shared with</td>" in page.content.decode()
    assert '<td class="diff-new">UN</td>' in page.content.decode()
    # The UN's focal point sees it now; restoring the earlier entry takes the sharing back.
    assert Person.objects.visible_to(world.users.partner).filter(pk=person.pk).exists()
    earlier = person.history.order_by("history_id")[entries - 1]
    person = restore(
        person,
        actor=world.users.editor,
        history_id=earlier.history_id,
        expected_version=person.version,
    )
    assert list(person.shared_with.all()) == []
    assert not Person.objects.visible_to(world.users.partner).filter(pk=person.pk).exists()


def test_basis_change_is_one_entry(world):
    partnership = world.p_un
    before = partnership.history.count()
    services.partnership_update(
        actor=world.users.editor,
        partnership=partnership,
        expected_version=partnership.version,
        basis=[world.doc, world.secret_doc],
    )
    assert partnership.history.count() == before + 1
    latest = partnership.history.order_by("-history_id").first()
    linked = {row.frameworkdocument_id for row in latest.basis.all()}
    assert linked == {world.doc.pk, world.secret_doc.pk}
