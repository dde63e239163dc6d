"""The one write path for meetings, series, agendas, outcomes, actions and attachments.

UI, API, CLI, importers and tests call these: each checks the actor's role, validates, checks
the version, writes in one transaction and leaves a history entry attributed to the actor.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core.textextract import extract_text

from . import files, recurrence
from .choices import OPEN_ACTION_STATUSES, ActionStatus, Attendance, MeetingStatus
from .models import (
    Action,
    AgendaItem,
    Attachment,
    Meeting,
    Outcome,
    Participant,
    Series,
    SeriesAgendaItem,
)

# ---------------------------------------------------------------- series


def _set_template(series: Series, items: Iterable[dict], actor) -> None:
    """Replace a series' template agenda by `items` ({title, notes, carry_over}), in order."""
    for old in series.template_items.all():
        core.attribute(old, actor, _("Template agenda replaced"))
        old.delete()
    for position, item in enumerate(items, start=1):
        core.create(
            SeriesAgendaItem(
                series=series,
                position=position,
                title=item.get("title", ""),
                notes=item.get("notes", ""),
                carry_over=bool(item.get("carry_over", False)),
            ),
            actor=actor,
        )


@transaction.atomic
def series_create(
    *,
    actor,
    organizations=(),
    themes=(),
    shared_with=(),
    template_agenda: Iterable[dict] = (),
    **fields,
) -> Series:
    series = core.create(
        Series(**fields),
        actor=actor,
        m2m={"organizations": organizations, "themes": themes, "shared_with": shared_with},
    )
    _set_template(series, template_agenda, actor)
    return series


@transaction.atomic
def series_update(
    *,
    actor,
    series: Series,
    expected_version: int | None,
    organizations=None,
    themes=None,
    shared_with=None,
    template_agenda: Iterable[dict] | None = None,
    reason: str = "",
    **fields,
) -> Series:
    """Change a series; `template_agenda`, when given, replaces its template agenda."""
    updated = core.update(
        series,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m={"organizations": organizations, "themes": themes, "shared_with": shared_with},
        reason=reason,
    )
    if template_agenda is not None:
        _set_template(updated, template_agenda, actor)
    return updated


def series_delete(*, actor, series: Series, expected_version=None):
    """Delete a series and its template; its meetings stay, no longer in a series."""
    return core.delete(series, actor=actor, expected_version=expected_version)


# ---------------------------------------------------------------- meetings


def _set_participants(meeting: Meeting, participants: Iterable, actor) -> None:
    """Make the meeting's participants exactly `participants`: (person, attendance) pairs."""
    wanted: dict[int, tuple] = {}
    for entry in participants:
        person, attendance = (
            (entry["person"], entry.get("attendance", Attendance.INVITED))
            if isinstance(entry, dict)
            else entry
        )
        if person.pk in wanted:
            raise ValidationError(
                {"participants": _("%(person)s is named twice.") % {"person": person}}
            )
        wanted[person.pk] = (person, attendance)
    existing = {p.person_id: p for p in meeting.participants.all()}
    for person_id, participant in existing.items():
        if person_id not in wanted:
            core.attribute(participant, actor)
            participant.delete()
    for person_id, (person, attendance) in wanted.items():
        current = existing.get(person_id)
        if current is None:
            try:
                core.create(
                    Participant(meeting=meeting, person=person, attendance=attendance),
                    actor=actor,
                )
            except ValidationError as exc:
                raise ValidationError({"participants": exc.messages}) from exc
        elif current.attendance != attendance:
            try:
                core.update(
                    current,
                    actor=actor,
                    fields={"attendance": attendance},
                    expected_version=None,
                )
            except ValidationError as exc:
                raise ValidationError({"participants": exc.messages}) from exc


@transaction.atomic
def meeting_create(
    *,
    actor,
    organizations=(),
    themes=(),
    shared_with=(),
    participants=(),
    **fields,
) -> Meeting:
    meeting = core.create(
        Meeting(**fields),
        actor=actor,
        m2m={"organizations": organizations, "themes": themes, "shared_with": shared_with},
    )
    _set_participants(meeting, participants, actor)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor,
    meeting: Meeting,
    expected_version: int | None,
    organizations=None,
    themes=None,
    shared_with=None,
    participants=None,
    reason: str = "",
    **fields,
) -> Meeting:
    """Change a meeting; `participants`, when given, replaces the list of participants."""
    updated = core.update(
        meeting,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m={"organizations": organizations, "themes": themes, "shared_with": shared_with},
        reason=reason,
    )
    if participants is not None:
        _set_participants(updated, participants, actor)
    return updated


def meeting_delete(*, actor, meeting: Meeting, expected_version=None):
    """Delete a meeting with its agenda, outcomes, participants, attachments and the actions
    raised at it (all brought back if the deletion is undone)."""
    return core.delete(meeting, actor=actor, expected_version=expected_version)


# ---------------------------------------------------------------- agenda items


def _move(items: list, actor, field: str = "position") -> None:
    """Give `items` the positions 1, 2, 3… in their list order, one history entry per move.

    Items that move are first parked past every position in use, so that the unique
    (meeting, position) rule holds after every single write.
    """
    moving = [(item, n) for n, item in enumerate(items, start=1) if getattr(item, field) != n]
    if not moving:
        return
    model = type(items[0])
    top = max(getattr(item, field) for item in items) + len(items) + 1
    model._base_manager.filter(pk__in=[item.pk for item, _n in moving]).update(
        **{field: F(field) + top}
    )
    for item, n in moving:
        core.update(item, actor=actor, fields={field: n}, expected_version=None)


def _items_of(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("position"))


def _lock_meeting(meeting: Meeting) -> None:
    """Serialise changes to one meeting's agenda (two writers adding an item at once)."""
    Meeting._base_manager.select_for_update().filter(pk=meeting.pk).first()


def _check_position(position, count: int) -> None:
    if position is not None and not (isinstance(position, int) and 1 <= position <= count):
        raise ValidationError(
            {
                "position": _("The position is a number from 1 to %(count)s.")
                % {"count": max(count, 1)}
            }
        )


@transaction.atomic
def agenda_item_create(
    *,
    actor,
    meeting: Meeting,
    title: str,
    notes: str = "",
    carry_over: bool = False,
    position: int | None = None,
    carried_from: AgendaItem | None = None,
) -> AgendaItem:
    """Add an item at `position` (the items from there move down), or at the end."""
    core.require_editor(actor)
    _lock_meeting(meeting)
    items = _items_of(meeting)
    _check_position(position, len(items) + 1)
    # Created last, past every position in use, then moved into place.
    item = core.create(
        AgendaItem(
            meeting=meeting,
            position=max((i.position for i in items), default=0) + 1,
            title=title,
            notes=notes,
            carry_over=carry_over,
            carried_from=carried_from,
        ),
        actor=actor,
    )
    if position is not None:
        items.insert(position - 1, item)
        _move(items, actor)
        item.refresh_from_db()
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor,
    item: AgendaItem,
    expected_version: int | None,
    position: int | None = None,
    reason: str = "",
    **fields,
) -> AgendaItem:
    """Change an item; a new `position` moves it there, and the items between shift by one."""
    fields.pop("meeting", None)
    fields.pop("meeting_id", None)
    core.require_editor(actor)
    _lock_meeting(item.meeting)
    updated = core.update(
        item, actor=actor, fields=fields, expected_version=expected_version, reason=reason
    )
    if position is not None:
        items = _items_of(item.meeting)
        _check_position(position, len(items))
        items = [i for i in items if i.pk != updated.pk]
        items.insert(position - 1, updated)
        _move(items, actor)
        updated.refresh_from_db()
    return updated


@transaction.atomic
def agenda_item_reorder(*, actor, meeting: Meeting, order: list[int]) -> list[AgendaItem]:
    """Put the meeting's items in the order of `order`, which names each item's id once."""
    core.require_editor(actor)
    _lock_meeting(meeting)
    items = {item.pk: item for item in _items_of(meeting)}
    if sorted(order) != sorted(items):
        raise ValidationError({"order": _("Name every item of the agenda once, and no other.")})
    _move([items[pk] for pk in order], actor)
    return _items_of(meeting)


def agenda_item_delete(*, actor, item: AgendaItem, expected_version=None):
    """Delete an item with its outcomes; the items after it keep their positions."""
    return core.delete(item, actor=actor, expected_version=expected_version)


# ---------------------------------------------------------------- outcomes


@transaction.atomic
def outcome_create(*, actor, agenda_item: AgendaItem, kind: str, text: str) -> Outcome:
    return core.create(Outcome(agenda_item=agenda_item, kind=kind, text=text), actor=actor)


@transaction.atomic
def outcome_update(
    *, actor, outcome: Outcome, expected_version: int | None, reason: str = "", **fields
) -> Outcome:
    fields.pop("agenda_item", None)
    fields.pop("agenda_item_id", None)
    return core.update(
        outcome, actor=actor, fields=fields, expected_version=expected_version, reason=reason
    )


def outcome_delete(*, actor, outcome: Outcome, expected_version=None):
    return core.delete(outcome, actor=actor, expected_version=expected_version)


# ---------------------------------------------------------------- actions


def _settle_completion(fields: dict, current: Action | None) -> None:
    """Done sets the completion date (today unless given); any other status clears it."""
    status = fields.get("status", current.status if current else ActionStatus.OPEN)
    if status == ActionStatus.DONE:
        given = fields.get("completed_on")
        if given is None:
            kept = current.completed_on if current is not None else None
            fields["completed_on"] = kept or timezone.localdate()
    elif fields.get("completed_on") is None:
        # Reopened or cancelled: no completion date (one given anyway is refused by clean()).
        fields["completed_on"] = None


def _meeting_of_outcome(fields: dict, current: Action | None) -> None:
    """An action from an outcome is raised at that outcome's meeting."""
    outcome = fields.get("outcome", current.outcome if current is not None else None)
    if outcome is None:
        return
    if "meeting" in fields:
        meeting = fields["meeting"]
    else:
        meeting = current.meeting if current is not None else None
    if meeting is None:
        fields["meeting"] = outcome.agenda_item.meeting


@transaction.atomic
def action_create(*, actor, carried_to=(), shared_with=(), **fields) -> Action:
    _settle_completion(fields, None)
    _meeting_of_outcome(fields, None)
    return core.create(
        Action(**fields), actor=actor, m2m={"carried_to": carried_to, "shared_with": shared_with}
    )


@transaction.atomic
def action_update(
    *,
    actor,
    action: Action,
    expected_version: int | None,
    carried_to=None,
    shared_with=None,
    reason: str = "",
    **fields,
) -> Action:
    _settle_completion(fields, action)
    _meeting_of_outcome(fields, action)
    return core.update(
        action,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m={"carried_to": carried_to, "shared_with": shared_with},
        reason=reason,
    )


def action_delete(*, actor, action: Action, expected_version=None):
    return core.delete(action, actor=actor, expected_version=expected_version)


@transaction.atomic
def set_action_status(
    actions: Iterable[Action],
    status: str,
    user,
    *,
    completed_on: datetime.date | None = None,
    note: str | None = None,
) -> list[Action]:
    """Give every action of `actions` the status `status`, all or none, in one transaction.

    Done sets the completion date to `completed_on`, or today; another status clears it.
    `note`, when given, replaces each action's note.
    """
    core.require_editor(user)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("“%(value)s” is not a status.") % {"value": status}})
    updated = []
    for action in actions:
        fields: dict = {"status": status}
        if status == ActionStatus.DONE:
            fields["completed_on"] = completed_on or timezone.localdate()
        if note is not None:
            fields["note"] = note
        _settle_completion(fields, action)
        updated.append(core.update(action, actor=user, fields=fields, expected_version=None))
    return updated


# ---------------------------------------------------------------- attachments


# The limit, also read by the upload pages.
max_attachment_bytes = files.max_bytes


@transaction.atomic
def attachment_create(*, actor, meeting: Meeting, file, name: str | None = None) -> Attachment:
    """Store `file` (an upload or any Django File) with the meeting, after checking its size
    and its content; if anything fails, no file and no row is left behind."""
    core.require_editor(actor)
    original = files.clean_name(name or getattr(file, "name", "") or "")
    size = files.checked_size(file)
    kind = files.sniff(file, original)
    attachment = Attachment(
        meeting=meeting,
        original_name=original,
        content_type=kind.content_type,
        size=size,
        text=extract_text(file, kind.content_type, name=original),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    attachment.full_clean(exclude=["file"])

    def create(stored):
        attachment.file.name = stored
        return core.create(attachment, actor=actor)

    return files.store(
        file,
        f"meetings/{meeting.pk}/{original}",
        max_length=Attachment.file.field.max_length,
        create=create,
    )


def attachment_delete(*, actor, attachment: Attachment, expected_version=None):
    """Delete the attachment's record; the file is kept so that the deletion can be undone."""
    return core.delete(attachment, actor=actor, expected_version=expected_version)


# ---------------------------------------------------------------- the next occurrence


def _local(moment: datetime.datetime, tz) -> datetime.datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def next_start(series: Series, *, now: datetime.datetime | None = None) -> datetime.datetime:
    """When the next meeting of the series starts (aware), by its rule in its time zone.

    The rule starts at the first meeting (at the series' default start time, if it has one);
    the next date is the first one after the day of the latest meeting. A series without a
    meeting starts from today at its default start time and takes the first date after now.
    """
    tz = recurrence.zone(series.time_zone)
    now = now or timezone.now()
    dates = Meeting._base_manager.filter(series=series).aggregate(
        first=Min("start"), last=Max("start")
    )
    first, last = dates["first"], dates["last"]
    if first is None:
        if series.default_start_time is None:
            raise ValidationError(
                _(
                    "This series has no meeting yet and no default start time to begin from: "
                    "give it a default start time, or add its first meeting."
                )
            )
        dtstart = datetime.datetime.combine(_local(now, tz).date(), series.default_start_time)
        after = _local(now, tz)
    else:
        dtstart = _local(first, tz)
        if series.default_start_time is not None:
            dtstart = datetime.datetime.combine(dtstart.date(), series.default_start_time)
        after = datetime.datetime.combine(_local(last, tz).date(), datetime.time.max)
    try:
        local = recurrence.next_after(series.cadence, tz=tz, dtstart=dtstart, after=after)
    except ValidationError as exc:
        raise ValidationError({"cadence": exc.messages}) from exc
    if local is None:
        raise ValidationError(
            {
                "cadence": _(
                    "The series' rule (%(rule)s) has no date after the latest meeting: "
                    "change its cadence to go on."
                )
                % {"rule": series.cadence}
            }
        )
    return recurrence.aware(local, tz)


@transaction.atomic
def create_next_occurrence(series: Series, user, *, now: datetime.datetime | None = None):
    """Make the series' next meeting from its rule, defaults and template agenda.

    It carries over from the latest meeting every agenda item marked "carry over" and every
    open or in-progress action raised at it or carried into it: those actions list the new
    meeting in `carried_to`. Refused with a clear message when the series has no meeting and
    no default start time, or when its rule has no further date.
    """
    core.require_editor(user)
    # One next occurrence at a time per series.
    series = Series._base_manager.select_for_update().get(pk=series.pk)
    last = Meeting._base_manager.filter(series=series).order_by("-start", "-pk").first()
    start = next_start(series, now=now).astimezone(datetime.UTC)
    end = start + datetime.timedelta(minutes=series.default_duration_minutes)
    meeting = meeting_create(
        actor=user,
        title=series.title,
        series=series,
        format=series.format,
        level=series.level,
        start=start,
        end=end,
        time_zone=series.time_zone,
        place=series.place,
        online_link=series.online_link,
        host_organization=series.host_organization,
        status=MeetingStatus.PLANNED,
        classification=series.classification,
        organizations=list(series.organizations.all()),
        themes=list(series.themes.all()),
        shared_with=list(series.shared_with.all()),
    )
    position = 0
    for template in series.template_items.order_by("position"):
        position += 1
        core.create(
            AgendaItem(
                meeting=meeting,
                position=position,
                title=template.title,
                notes=template.notes,
                carry_over=template.carry_over,
            ),
            actor=user,
        )
    if last is None:
        return meeting
    for item in last.agenda_items.filter(carry_over=True).order_by("position"):
        position += 1
        core.create(
            AgendaItem(
                meeting=meeting,
                position=position,
                title=item.title,
                notes=item.notes,
                carry_over=True,
                carried_from=item,
            ),
            actor=user,
        )
    still_open = (
        Action._base_manager.filter(Q(meeting=last) | Q(carried_to=last))
        .filter(status__in=OPEN_ACTION_STATUSES)
        .distinct()
        .order_by("pk")
        .prefetch_related("carried_to")
    )
    reason = _("Carried over to %(meeting)s") % {"meeting": meeting}
    for action in still_open:
        carried = [m.pk for m in action.carried_to.all()]
        core.update(
            action,
            actor=user,
            fields={},
            expected_version=None,
            m2m={"carried_to": [*carried, meeting.pk]},
            reason=reason,
        )
    return meeting
