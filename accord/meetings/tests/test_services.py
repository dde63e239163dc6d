"""Writes through the services: carry-over, agendas, actions, history, versions, deletes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accord.core.exceptions import ConflictError
from accord.core.models import Deletion
from accord.core.services import restore_deletion
from accord.meetings import services
from accord.meetings.models import Action, AgendaItem, Meeting, Outcome, Participant

from .conftest import at


@pytest.fixture
def rhythm(world, mw):
    """The staff-talks series with three meetings, its last with agenda items and actions."""
    editor = world.users.editor
    older = services.meeting_create(
        actor=editor,
        title="Staff talks 2023",
        series=mw.series,
        format="staff_talks",
        start=at(2023, 1, 16, 9),
        end=at(2023, 1, 16, 12),
        time_zone="Europe/Vienna",
        status="held",
    )
    last = services.meeting_create(
        actor=editor,
        title="Staff talks 2025",
        series=mw.series,
        format="staff_talks",
        start=at(2025, 1, 16, 9),
        end=at(2025, 1, 16, 12),
        time_zone="Europe/Vienna",
        status="held",
    )
    kept = services.agenda_item_create(
        actor=editor, meeting=last, title="Border management", notes="Go on", carry_over=True
    )
    services.agenda_item_create(actor=editor, meeting=last, title="Coffee", carry_over=False)
    kept_too = services.agenda_item_create(
        actor=editor, meeting=last, title="Elections", carry_over=True
    )

    def action(title, status, meeting=last, carried_to=()):
        return services.action_create(
            actor=editor,
            title=title,
            meeting=meeting,
            status=status,
            due=datetime.date(2025, 3, 1),
            carried_to=list(carried_to),
        )

    actions = {
        "open": action("Open at the last", "open"),
        "in_progress": action("Going at the last", "in_progress"),
        "done": action("Done at the last", "done"),
        "cancelled": action("Cancelled at the last", "cancelled"),
        # Raised at an older meeting and carried into the last one: carried again.
        "carried_in": action("Carried into the last", "open", meeting=older, carried_to=[last]),
        # Raised at an older meeting and never carried: not the last meeting's business.
        "older": action("Open at an older one", "open", meeting=older),
    }
    return last, [kept, kept_too], actions


def test_the_next_occurrence_carries_open_actions_and_marked_items(world, mw, rhythm):
    last, kept, actions = rhythm
    meeting = services.create_next_occurrence(mw.series, world.users.editor)
    assert meeting.local_start.date() == datetime.date(
        2026, 1, 16
    )  # yearly from the first, 2023-01-16
    assert (meeting.status, meeting.series, meeting.title) == (
        "planned",
        mw.series,
        mw.series.title,
    )
    assert set(meeting.organizations.all()) == {world.osce, world.un}
    assert list(meeting.themes.all()) == [mw.rights]
    agenda = list(meeting.agenda_items.order_by("position"))
    assert [(i.position, i.title) for i in agenda] == [
        (1, "Opening"),
        (2, "Review of actions"),
        (3, "Border management"),
        (4, "Elections"),
    ]
    assert agenda[2].notes == "Go on" and agenda[2].carry_over
    assert [i.carried_from for i in agenda[2:]] == kept
    carried = set(meeting.carried_actions.values_list("title", flat=True))
    assert carried == {"Open at the last", "Going at the last", "Carried into the last"}
    reopened = Action.objects.get(pk=actions["carried_in"].pk)
    assert set(reopened.carried_to.all()) == {last, meeting}
    entry = reopened.history.order_by("-history_id").first()
    assert entry.history_user == world.users.editor
    assert entry.history_change_reason.startswith("Carried over to")
    for name in ("done", "cancelled", "older"):
        assert meeting not in Action.objects.get(pk=actions[name].pk).carried_to.all()


def test_the_next_occurrence_after_that_carries_what_is_still_open(world, mw, rhythm):
    _last, _kept, actions = rhythm
    first = services.create_next_occurrence(mw.series, None)
    services.set_action_status([actions["open"]], "done", world.users.editor)
    second = services.create_next_occurrence(mw.series, None)
    assert second.start > first.start
    carried = set(second.carried_actions.values_list("title", flat=True))
    assert carried == {"Going at the last", "Carried into the last"}
    # The marked items carried into `first` stay marked, so they go on again.
    titles = list(second.agenda_items.order_by("position").values_list("title", flat=True))
    assert titles == ["Opening", "Review of actions", "Border management", "Elections"]


def test_only_an_editor_creates_the_next_occurrence(world, mw):
    for role in ("viewer", "partner"):
        with pytest.raises(PermissionDenied):
            services.create_next_occurrence(mw.series, getattr(world.users, role))


# ---------------------------------------------------------------- agenda order


def titles(meeting):
    return list(meeting.agenda_items.order_by("position").values_list("position", "title"))


def test_items_are_inserted_moved_and_reordered(world, mw):
    editor = world.users.editor
    meeting = mw.public
    first = services.agenda_item_create(actor=editor, meeting=meeting, title="Welcome", position=1)
    assert titles(meeting) == [(1, "Welcome"), (2, "Early warning"), (3, "Any other business")]
    moved = services.agenda_item_update(
        actor=editor, item=first, expected_version=first.version, position=3, title="Farewell"
    )
    assert moved.position == 3
    assert titles(meeting) == [(1, "Early warning"), (2, "Any other business"), (3, "Farewell")]
    ids = list(meeting.agenda_items.order_by("-position").values_list("pk", flat=True))
    services.agenda_item_reorder(actor=editor, meeting=meeting, order=ids)
    assert titles(meeting) == [(1, "Farewell"), (2, "Any other business"), (3, "Early warning")]
    # Each move is a change in the item's history.
    assert AgendaItem.objects.get(pk=first.pk).history.count() >= 3
    with pytest.raises(ValidationError, match="every item"):
        services.agenda_item_reorder(actor=editor, meeting=meeting, order=ids[:2])
    with pytest.raises(ValidationError) as caught:
        services.agenda_item_create(actor=editor, meeting=meeting, title="Far", position=9)
    assert "position" in caught.value.message_dict


def test_a_stale_agenda_item_is_a_conflict(world, mw):
    with pytest.raises(ConflictError):
        services.agenda_item_update(
            actor=None, item=mw.item, expected_version=mw.item.version + 1, title="Late"
        )


# ---------------------------------------------------------------- actions


def test_done_sets_the_completion_date_and_reopening_clears_it(world, mw):
    editor = world.users.editor
    action = services.action_update(
        actor=editor, action=mw.action, expected_version=mw.action.version, status="done"
    )
    assert action.completed_on == datetime.date.today()
    action = services.action_update(
        actor=editor, action=action, expected_version=action.version, status="in_progress"
    )
    assert action.completed_on is None
    action = services.action_update(
        actor=editor,
        action=action,
        expected_version=action.version,
        status="done",
        completed_on=datetime.date(2024, 2, 2),
    )
    assert action.completed_on == datetime.date(2024, 2, 2)
    with pytest.raises(ValidationError) as caught:
        services.action_update(
            actor=editor,
            action=action,
            expected_version=action.version,
            status="open",
            completed_on=datetime.date(2024, 2, 2),
        )
    assert "completed_on" in caught.value.message_dict


def test_an_action_has_one_owner(world, mw):
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            actor=None,
            title="Two owners",
            owner_user=world.users.editor,
            owner_person=world.shared_person,
        )
    assert "owner_person" in caught.value.message_dict


def test_an_action_from_an_outcome_is_raised_at_its_meeting(world, mw):
    action = services.action_create(actor=None, title="From the outcome", outcome=mw.outcome)
    assert action.meeting == mw.public
    with pytest.raises(ValidationError) as caught:
        services.action_create(
            actor=None, title="Mismatch", outcome=mw.outcome, meeting=mw.restricted
        )
    assert "outcome" in caught.value.message_dict


def test_bulk_status_is_all_or_nothing(world, mw):
    editor = world.users.editor
    actions = [mw.action, mw.secret_action]
    done = services.set_action_status(
        actions, "done", editor, completed_on=datetime.date(2025, 1, 2)
    )
    assert {(a.status, a.completed_on) for a in done} == {("done", datetime.date(2025, 1, 2))}
    assert all(a.history.order_by("-history_id").first().history_user == editor for a in done)
    reopened = services.set_action_status(done, "open", editor, note="Not quite")
    assert {(a.status, a.completed_on, a.note) for a in reopened} == {("open", None, "Not quite")}
    before = list(Action.objects.order_by("pk").values_list("status", "version"))
    with pytest.raises(ValidationError):
        services.set_action_status([mw.action], "nonsense", editor)
    assert list(Action.objects.order_by("pk").values_list("status", "version")) == before
    with pytest.raises(PermissionDenied):
        services.set_action_status([mw.action], "done", world.users.viewer)


def test_bulk_status_rolls_back_when_one_action_fails(world, mw, monkeypatch):
    from accord.core import services as core

    editor = world.users.editor
    real = core.update
    calls = []

    def failing(instance, **kwargs):
        calls.append(instance.pk)
        if len(calls) == 2:
            raise ValidationError("boom")
        return real(instance, **kwargs)

    monkeypatch.setattr(core, "update", failing)
    with pytest.raises(ValidationError):
        services.set_action_status([mw.action, mw.secret_action], "done", editor)
    assert Action.objects.get(pk=mw.action.pk).status == "open"


# ---------------------------------------------------------------- history, versions, deletes


def test_every_write_leaves_history_with_its_author(world, mw):
    editor = world.users.editor
    meeting = services.meeting_update(
        actor=editor,
        meeting=mw.public,
        expected_version=mw.public.version,
        minutes="# Minutes",
        organizations=[world.un],
        participants=[(world.shared_person, "attended")],
    )
    assert meeting.version == 2
    entry = meeting.history.order_by("-history_id").first()
    assert (entry.history_type, entry.history_user, entry.minutes) == ("~", editor, "# Minutes")
    assert [link.organization_id for link in entry.organizations.all()] == [world.un.pk]
    assert list(meeting.participants.values_list("person__name", flat=True)) == ["Una Shared"]
    gone = Participant.history.filter(history_type="-")
    assert gone.count() == 2 and {e.history_user for e in gone} == {editor}


def test_a_stale_meeting_edit_is_a_conflict(world, mw):
    services.meeting_update(
        actor=None, meeting=mw.public, expected_version=mw.public.version, title="First edit"
    )
    with pytest.raises(ConflictError) as caught:
        services.meeting_update(
            actor=None, meeting=mw.public, expected_version=mw.public.version, title="Second"
        )
    assert caught.value.current_version == 2
    assert Meeting.objects.get(pk=mw.public.pk).title == "First edit"


def test_a_meeting_ends_after_it_starts(world, mw):
    with pytest.raises(ValidationError) as caught:
        services.meeting_update(
            actor=None, meeting=mw.public, expected_version=1, end=mw.public.start
        )
    assert "end" in caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("online_link", "javascript:alert(1)"),
        ("online_link", "ftp://files.example.org/"),
        ("time_zone", "Vienna"),
        ("phases", ["early_warning", "early_warning"]),
        ("phases", ["peace"]),
        ("phases", "early_warning"),
        ("title", "Bell\x07"),
    ],
)
def test_bad_meeting_values_name_their_field(world, mw, field, value):
    with pytest.raises(ValidationError) as caught:
        services.meeting_update(actor=None, meeting=mw.public, expected_version=1, **{field: value})
    assert field in caught.value.message_dict


def test_a_deleted_meeting_comes_back_with_its_agenda_and_actions(world, mw):
    editor = world.users.editor
    meeting = mw.public
    item_ids = set(meeting.agenda_items.values_list("pk", flat=True))
    deletion = services.meeting_delete(actor=editor, meeting=meeting, expected_version=1)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not AgendaItem.objects.filter(pk__in=item_ids).exists()
    assert not Outcome.objects.filter(pk=mw.outcome.pk).exists()
    assert not Action.objects.filter(pk=mw.action.pk).exists()
    assert {e["model"] for e in deletion.contents} >= {
        "meetings.agendaitem",
        "meetings.outcome",
        "meetings.action",
        "meetings.participant",
    }
    restore_deletion(Deletion.objects.get(pk=deletion.pk), actor=editor)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert set(meeting.agenda_items.values_list("pk", flat=True)) == item_ids
    action = Action.objects.get(pk=mw.action.pk)
    assert action.outcome_id == mw.outcome.pk and action.meeting_id == meeting.pk
    assert set(action.carried_to.all()) == {mw.restricted, mw.shared}
    assert meeting.participants.count() == 3
    assert set(meeting.organizations.all()) == {world.osce, world.un}


def test_a_deleted_series_leaves_its_meetings(world, mw):
    services.series_delete(actor=world.users.editor, series=mw.series)
    assert Meeting.objects.get(pk=mw.public.pk).series is None


def test_an_organization_with_meetings_cannot_be_deleted(world, mw):
    from accord.registry import services as registry

    with pytest.raises(ValidationError, match="refer to it"):
        registry.organization_delete(actor=world.users.editor, organization=world.un)
