"""What the workspace-wide search finds of meetings: meetings (with their agenda and
outcomes), outcomes and follow-up actions (accord/core/extensions.py,
register_search_kind). Registered by MeetingsConfig.ready()."""

from __future__ import annotations

from django.db.models import Prefetch

from accord.core import extensions, textextract
from accord.core.extensions import SearchDocument

from .models import Action, AgendaItem, Attachment, Meeting, Outcome

# An outcome's title: the start of its text.
OUTCOME_TITLE = 150


def meeting_organizations(meeting: Meeting) -> tuple[int, ...]:
    ids = [org.pk for org in meeting.organizations.all()]
    if meeting.host_organization_id is not None:
        ids.append(meeting.host_organization_id)
    return tuple(ids)


def prepare_meetings(qs):
    # The index holds every record; the policy is applied when it is read (one EXISTS per kind
    # on visible_to()). Agenda items and outcomes are seen with their meeting, so the base
    # managers here put into a meeting's document only what its readers may see anyway.
    return qs.prefetch_related(
        "themes",
        "organizations",
        Prefetch(
            "agenda_items",
            queryset=AgendaItem._base_manager.order_by("position").prefetch_related(
                Prefetch("outcomes", queryset=Outcome._base_manager.order_by("pk"))
            ),
        ),
        Prefetch(
            "attachments",
            queryset=Attachment._base_manager.order_by("original_name", "pk").only(
                "meeting_id", "original_name", "text"
            ),
        ),
    )


def meeting_document(meeting: Meeting) -> SearchDocument:
    items = list(meeting.agenda_items.all())
    return SearchDocument(
        title=meeting.title,
        body=SearchDocument.join(
            meeting.place,
            meeting.minutes,
            *(item.title for item in items),
            *(item.notes for item in items),
            *(outcome.text for item in items for outcome in item.outcomes.all()),
            # Attachments by their name and the text read from them when they were uploaded.
            *textextract.for_search(meeting.attachments.all()),
        ),
        url=meeting.get_absolute_url(),
        year=meeting.local_start.year,
        themes=tuple(theme.pk for theme in meeting.themes.all()),
        organizations=meeting_organizations(meeting),
    )


def meeting_of(instance) -> list[int]:
    """The meeting whose document shows an agenda item, an outcome or an attachment."""
    if isinstance(instance, AgendaItem | Attachment):
        return [instance.meeting_id]
    return [instance.agenda_item.meeting_id]


def prepare_outcomes(qs):
    return qs.select_related("agenda_item__meeting").prefetch_related(
        "agenda_item__meeting__themes", "agenda_item__meeting__organizations"
    )


def outcome_document(outcome: Outcome) -> SearchDocument:
    meeting = outcome.agenda_item.meeting
    text = " ".join(outcome.text.split())
    title = text if len(text) <= OUTCOME_TITLE else text[: OUTCOME_TITLE - 1] + "…"
    return SearchDocument(
        title=title,
        body=SearchDocument.join(outcome.text, outcome.agenda_item.title, meeting.title),
        url=outcome.get_absolute_url(),
        year=meeting.local_start.year,
        themes=tuple(theme.pk for theme in meeting.themes.all()),
        organizations=meeting_organizations(meeting),
    )


def outcomes_for(instance) -> list[int]:
    """The outcomes whose documents show a meeting or an agenda item (title, year, themes)."""
    if isinstance(instance, Meeting):
        return list(
            Outcome._base_manager.filter(agenda_item__meeting_id=instance.pk).values_list(
                "pk", flat=True
            )
        )
    return list(instance.outcomes.values_list("pk", flat=True))


def prepare_actions(qs):
    return qs.select_related("meeting")


def action_document(action: Action) -> SearchDocument:
    year = action.due.year if action.due else None
    if year is None and action.meeting is not None:
        year = action.meeting.local_start.year
    return SearchDocument(
        title=action.title,
        body=SearchDocument.join(action.description, action.note),
        url=action.get_absolute_url(),
        year=year,
        organizations=(action.organization_id,) if action.organization_id else (),
    )


def register_search() -> None:
    extensions.register_search_kind(
        "meeting",
        label=Meeting._meta.verbose_name,
        model="meetings.Meeting",
        document=meeting_document,
        visible=Meeting.objects.visible_to,
        watch=("meetings.AgendaItem", "meetings.Outcome", "meetings.Attachment"),
        reindex_for=meeting_of,
        prepare=prepare_meetings,
        order=40,
    )
    extensions.register_search_kind(
        "outcome",
        label=Outcome._meta.verbose_name,
        model="meetings.Outcome",
        document=outcome_document,
        visible=Outcome.objects.visible_to,
        watch=("meetings.Meeting", "meetings.AgendaItem"),
        reindex_for=outcomes_for,
        prepare=prepare_outcomes,
        order=50,
    )
    extensions.register_search_kind(
        "action",
        label=Action._meta.verbose_name,
        model="meetings.Action",
        document=action_document,
        visible=Action.objects.visible_to,
        watch=("meetings.Meeting",),
        reindex_for=lambda meeting: meeting.actions.values_list("pk", flat=True),
        prepare=prepare_actions,
        order=60,
    )
