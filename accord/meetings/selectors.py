"""Reads of meetings, series and actions, always through the visibility policy.

Every record a visible record names comes through the policy too: a meeting's series, its
participants (people are classified), the meetings an action was carried to. Each selector
costs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accord.core.forms import BIGINT_MAX
from accord.registry.models import Person

from .choices import OCCURRING_STATUSES, MeetingStatus
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


def _pk(value) -> int:
    """An id from a URL or a form; anything else (or beyond bigint) is a 404."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= pk <= BIGINT_MAX:
        raise Http404
    return pk


def _one(qs: QuerySet, pk):
    obj = qs.filter(pk=_pk(pk)).first()
    if obj is None:
        raise Http404
    return obj


# ---------------------------------------------------------------- what records name


def visible_series(user, to_attr: str | None = None) -> Prefetch:
    """A meeting's series through the policy: one the user may not see reads as none."""
    return Prefetch("series", queryset=Series.objects.visible_to(user), to_attr=to_attr)


def visible_participants(user) -> Prefetch:
    """A meeting's participants the user may see, with their person and organization."""
    return Prefetch(
        "participants",
        queryset=Participant.objects.visible_to(user)
        .select_related("person", "person__organization")
        .order_by("person__name", "pk"),
    )


def visible_carried_to(user) -> Prefetch:
    return Prefetch("carried_to", queryset=Meeting.objects.visible_to(user).order_by("start", "pk"))


def visible_owner_person(user) -> Prefetch:
    return Prefetch(
        "owner_person", queryset=Person.objects.visible_to(user).select_related("organization")
    )


def agenda_with_outcomes() -> Prefetch:
    return Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.order_by("position").prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.order_by("pk"))
        ),
    )


# ---------------------------------------------------------------- meetings


def meeting_list(user) -> QuerySet[Meeting]:
    """Meetings the user may see, latest first, with what a list shows of each."""
    return (
        Meeting.objects.visible_to(user)
        .select_related("host_organization")
        .prefetch_related(
            visible_series(user),
            "organizations",
            "themes",
            visible_participants(user),
        )
        .order_by("-start", "-pk")
    )


def meeting_get(user, pk) -> Meeting:
    """One meeting with its agenda, outcomes and attachments; 404 if hidden or missing."""
    qs = meeting_list(user).prefetch_related(
        agenda_with_outcomes(),
        Prefetch("attachments", queryset=Attachment.objects.order_by("original_name", "pk")),
    )
    return _one(qs, pk)


def filter_meetings(
    qs: QuerySet[Meeting],
    *,
    organization=None,
    series=None,
    format: str | None = None,  # noqa: A002 - the field's name
    status: str | None = None,
    theme=None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
) -> QuerySet[Meeting]:
    """The filters of the lists, the calendar and the API (each optional)."""
    if organization is not None:
        qs = qs.involving(organization)
    if series is not None:
        qs = qs.filter(series=series)
    if format:
        qs = qs.filter(format=format)
    if status:
        qs = qs.filter(status=status)
    if theme is not None:
        # The theme and the themes under it.
        through = Meeting.themes.through
        tagged = through.objects.filter(
            Q(theme=theme) | Q(theme__parent=theme) | Q(theme__parent__parent=theme)
        ).values("meeting_id")
        qs = qs.filter(pk__in=tagged)
    if start is not None:
        qs = qs.filter(end__gt=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    return qs


def meetings_in_range(
    user, start: datetime.datetime, end: datetime.datetime, filters: dict | None = None
) -> QuerySet[Meeting]:
    """Meetings overlapping [start, end), soonest first, for the calendar.

    `filters`: organization, series, format, status, theme (see filter_meetings()).
    """
    qs = filter_meetings(meeting_list(user), **(filters or {}))
    return qs.in_range(start, end).order_by("start", "pk")


def upcoming_meetings(
    user, days: int = 30, limit: int | None = 10, *, now: datetime.datetime | None = None
) -> QuerySet[Meeting]:
    """Planned or postponed meetings starting within `days` days, soonest first."""
    now = now or timezone.now()
    qs = (
        meeting_list(user)
        .filter(start__gte=now, start__lt=now + datetime.timedelta(days=days))
        .filter(status__in=[MeetingStatus.PLANNED, MeetingStatus.POSTPONED])
        .order_by("start", "pk")
    )
    return qs[:limit] if limit is not None else qs


def last_meetings_of(user, organization, n: int = 3) -> list[Meeting]:
    """The latest `n` held meetings the organization hosted or took part in, with their agenda
    and outcomes (for a brief)."""
    return list(
        meeting_list(user)
        .involving(organization)
        .filter(status=MeetingStatus.HELD)
        .prefetch_related(agenda_with_outcomes())
        .order_by("-start", "-pk")[:n]
    )


def agenda_items_of(user, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda of a meeting the caller got through the policy."""
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .prefetch_related(Prefetch("outcomes", queryset=Outcome.objects.order_by("pk")))
        .order_by("position")
    )


def agenda_item_get(user, meeting: Meeting, pk) -> AgendaItem:
    return _one(agenda_items_of(user, meeting), pk)


def outcomes_of(user, item: AgendaItem) -> QuerySet[Outcome]:
    return Outcome.objects.filter(agenda_item=item).order_by("pk")


def outcome_get(user, item: AgendaItem, pk) -> Outcome:
    return _one(outcomes_of(user, item), pk)


def attachment_get(user, pk) -> Attachment:
    """An attachment of a meeting the user may see; 404 otherwise."""
    return _one(Attachment.objects.visible_to(user).select_related("meeting"), pk)


# ---------------------------------------------------------------- series


def series_list(user) -> QuerySet[Series]:
    """Series the user may see, with their template agenda and the date of their latest
    meeting the user may see (`last_start`)."""
    meetings = Meeting.objects.visible_to(user).filter(series=OuterRef("pk"))
    return (
        Series.objects.visible_to(user)
        .select_related("host_organization")
        .prefetch_related(
            "organizations",
            "themes",
            Prefetch("template_items", queryset=SeriesAgendaItem.objects.order_by("position")),
        )
        .annotate(last_start=meetings.order_by("-start").values("start")[:1])
        .order_by("title", "pk")
    )


def series_get(user, pk) -> Series:
    return _one(series_list(user), pk)


@dataclass
class OverdueSeries:
    """A series whose next meeting is late by its cadence."""

    series: Series
    last_start: datetime.datetime
    cadence_days: int
    days_since: int

    @property
    def days_late(self) -> int:
        return self.days_since - self.cadence_days


def overdue_series(user, today: datetime.date | None = None) -> list[OverdueSeries]:
    """Series whose latest held or planned meeting is older than their cadence, with no
    planned meeting ahead: the most overdue first. Two queries, whatever the number."""
    today = today or timezone.localdate()
    now = timezone.now()
    meetings = Meeting.objects.visible_to(user)
    ahead = meetings.filter(series=OuterRef("pk"), status=MeetingStatus.PLANNED, start__gte=now)
    occurring = meetings.filter(status__in=OCCURRING_STATUSES).values("series")
    candidates = (
        Series.objects.visible_to(user)
        .select_related("host_organization")
        .annotate(
            last_occurrence=Max(
                "meetings__start",
                filter=Q(
                    meetings__status__in=OCCURRING_STATUSES,
                    meetings__in=meetings.values("pk"),
                ),
            ),
            has_ahead=Exists(ahead),
        )
        .filter(pk__in=occurring, has_ahead=False, last_occurrence__isnull=False)
        .order_by("title", "pk")
    )
    overdue = []
    for series in candidates:
        cadence = series.cadence_days()
        if cadence is None:
            continue
        since = (today - timezone.localdate(series.last_occurrence)).days
        if since > cadence:
            overdue.append(OverdueSeries(series, series.last_occurrence, cadence, since))
    overdue.sort(key=lambda o: (-o.days_late, o.series.title, o.series.pk))
    return overdue


# ---------------------------------------------------------------- actions


def action_list(user, *, today: datetime.date | None = None) -> QuerySet[Action]:
    """Actions the user may see, annotated `is_overdue`, soonest due first (no date last)."""
    today = today or timezone.localdate()
    return (
        Action.objects.visible_to(user)
        .with_overdue(today)
        .select_related("owner_user", "organization", "meeting")
        .prefetch_related(visible_owner_person(user), visible_carried_to(user))
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def action_get(user, pk) -> Action:
    return _one(action_list(user), pk)


def actions_for(
    user,
    *,
    owner=None,
    overdue: bool | None = None,
    organization=None,
    status: str | None = None,
    meeting: Meeting | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Action]:
    """action_list() narrowed: `owner` (a user: their actions), `overdue` (True: only overdue;
    False: none overdue), the partner `organization`, a `status`, the `meeting` raised at."""
    today = today or timezone.localdate()
    qs = action_list(user, today=today)
    if owner is not None:
        qs = qs.filter(owner_user=owner)
    if overdue is not None:
        qs = qs.filter(is_overdue=overdue)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if status:
        qs = qs.filter(status=status)
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    return qs


def overdue_actions(
    user, limit: int | None = 10, *, today: datetime.date | None = None
) -> QuerySet[Action]:
    """Open and in-progress actions past their due date, the longest overdue first."""
    qs = actions_for(user, overdue=True, today=today).order_by("due", "pk")
    return qs[:limit] if limit is not None else qs


# ---------------------------------------------------------------- web pages


def meeting_page(user, pk) -> Meeting:
    """One meeting with all its page shows: agenda items in order with their outcomes and the
    item each was carried over from (through the policy), attachments; 404 if hidden."""
    agenda = Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.order_by("position").prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.order_by("pk")),
            Prefetch(
                "carried_from",
                queryset=AgendaItem.objects.visible_to(user).select_related("meeting"),
            ),
        ),
    )
    qs = meeting_list(user).prefetch_related(
        agenda,
        Prefetch(
            "attachments",
            queryset=Attachment.objects.select_related("uploaded_by").order_by(
                "original_name", "pk"
            ),
        ),
    )
    return _one(qs, pk)


def carried_actions(user, meeting: Meeting) -> QuerySet[Action]:
    """Actions carried over to a meeting (to follow up there), as the user may see them."""
    return action_list(user).filter(carried_to=meeting)


def calendar_meetings(
    user,
    start: datetime.datetime,
    end: datetime.datetime,
    filters: dict | None = None,
    limit: int | None = None,
) -> QuerySet[Meeting]:
    """Meetings overlapping [start, end) with only what a calendar shows: one query."""
    qs = filter_meetings(Meeting.objects.visible_to(user), **(filters or {}))
    qs = (
        qs.in_range(start, end)
        .only("id", "title", "start", "end", "time_zone", "status", "format", "place")
        .order_by("start", "pk")
    )
    return qs[:limit] if limit is not None else qs


# The partners the actions list names above its filters: those with the most overdue, then
# open, actions; the rest are reached through the partner filter.
PARTNER_BAR = 12


def open_actions_by_partner(
    user, *, today: datetime.date | None = None, limit: int = PARTNER_BAR
) -> tuple[list[dict], bool]:
    """([{organization, open, overdue}], more): the `limit` partners with the most overdue
    (then open) actions the user may see, by acronym, and whether other partners have open
    actions too. Two queries."""
    from django.db.models import Count

    from accord.registry.models import Organization

    from .choices import OPEN_ACTION_STATUSES

    today = today or timezone.localdate()
    visible = Action.objects.visible_to(user).filter(
        status__in=OPEN_ACTION_STATUSES, organization__isnull=False
    )
    rows = list(
        visible.values("organization")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))
        .order_by("-overdue", "-open", "organization")[: limit + 1]
    )
    more = len(rows) > limit
    counts = {row["organization"]: row for row in rows[:limit]}
    if not counts:
        return [], False
    organizations = Organization.objects.visible_to(user).filter(pk__in=counts)
    found = [
        {
            "organization": organization,
            "open": counts[organization.pk]["open"],
            "overdue": counts[organization.pk]["overdue"],
        }
        for organization in organizations.order_by("acronym")
    ]
    return found, more


def series_meetings(user, series: Series) -> QuerySet[Meeting]:
    """The meetings of a series the user may see, latest first (with a page's prefetches)."""
    return meeting_list(user).filter(series=series)


def series_span(user, series: Series) -> dict:
    """{"first", "last"}: the starts of the first and latest meetings of the series the user
    may see (None when none)."""
    from django.db.models import Min

    return (
        Meeting.objects.visible_to(user)
        .filter(series=series)
        .aggregate(first=Min("start"), last=Max("start"))
    )


def outcome_with_meeting(user, pk) -> Outcome | None:
    """An outcome the user may see, with its agenda item and meeting; None otherwise."""
    return (
        Outcome.objects.visible_to(user)
        .select_related("agenda_item", "agenda_item__meeting")
        .filter(pk=_pk(pk))
        .first()
    )
