"""Reads of practices, requests and commitments, always through the visibility policy.

Every record a visible record names comes through the policy too: a request's person,
practices and documents, the meetings and actions it links, a commitment's activities. A link
to a hidden record is neither shown nor counted. Each selector costs a fixed number of
queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone

from accord.core.forms import BIGINT_MAX
from accord.meetings.models import Action, Meeting
from accord.registry.models import FrameworkDocument, Organization, Person

from .choices import STALE_DAYS
from .models import Commitment, Practice, PracticeShare, Request


def _pk(value) -> int:
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


def _tagged(model, theme) -> Q:
    """Rows tagged with the theme or one under it."""
    through = model.themes.through
    field = model._meta.model_name + "_id"
    tagged = through.objects.filter(
        Q(theme=theme) | Q(theme__parent=theme) | Q(theme__parent__parent=theme)
    ).values(field)
    return Q(pk__in=tagged)


def _phase(qs: QuerySet, phase: str) -> QuerySet:
    # JSON "contains" is not on SQLite; a phase's value is a plain word, so a text match on
    # the quoted value is exact.
    return qs.filter(phases__icontains=f'"{phase}"')


# ---------------------------------------------------------------- practices


def practice_list(user) -> QuerySet[Practice]:
    return (
        Practice.objects.visible_to(user)
        .select_related("source_organization")
        .prefetch_related("themes", "recipient_organizations")
        .order_by(F("date").desc(nulls_last=True), "-pk")
    )


def practice_get(user, pk) -> Practice:
    return _one(practice_list(user), pk)


def filter_practices(
    qs, *, kind=None, theme=None, phase=None, organization=None, sample=None
) -> QuerySet[Practice]:
    if kind:
        qs = qs.filter(kind=kind)
    if theme is not None:
        qs = qs.filter(_tagged(Practice, theme))
    if phase:
        qs = _phase(qs, phase)
    if organization is not None:
        received = Practice.recipient_organizations.through.objects.filter(
            organization=organization
        ).values("practice_id")
        qs = qs.filter(Q(source_organization=organization) | Q(pk__in=received))
    if sample is not None:
        qs = qs.filter(is_sample=sample)
    return qs


def practice_shares(user, practice: Practice) -> QuerySet[PracticeShare]:
    """The practice's share log as the user may see it (a partner: their own entries)."""
    return (
        PracticeShare.objects.visible_to(user)
        .filter(practice=practice)
        .select_related("organization", "shared_by")
        .order_by("-shared_on", "-pk")
    )


# ---------------------------------------------------------------- requests


def request_list(user) -> QuerySet[Request]:
    return (
        Request.objects.visible_to(user)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "person",
                queryset=Person.objects.visible_to(user).select_related("organization"),
            ),
            "themes",
            Prefetch(
                "shared_practices",
                queryset=Practice.objects.visible_to(user).order_by("title", "pk"),
            ),
            Prefetch(
                "shared_documents",
                queryset=FrameworkDocument.objects.visible_to(user).order_by("year", "pk"),
            ),
            Prefetch("meetings", queryset=Meeting.objects.visible_to(user).order_by("start")),
            Prefetch("actions", queryset=Action.objects.visible_to(user).order_by("pk")),
        )
        .order_by("-received", "-pk")
    )


def request_get(user, pk) -> Request:
    return _one(request_list(user), pk)


def filter_requests(
    qs, *, kind=None, status=None, organization=None, theme=None, phase=None, sample=None
) -> QuerySet[Request]:
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if theme is not None:
        qs = qs.filter(_tagged(Request, theme))
    if phase:
        qs = _phase(qs, phase)
    if sample is not None:
        qs = qs.filter(is_sample=sample)
    return qs


# ---------------------------------------------------------------- commitments


def commitment_list(user) -> QuerySet[Commitment]:
    return (
        Commitment.objects.visible_to(user)
        .select_related("document")
        .prefetch_related("themes", "organizations")
        .order_by("document__year", "document__title", "order", "pk")
    )


def commitment_get(user, pk) -> Commitment:
    return _one(commitment_list(user), pk)


def filter_commitments(
    qs, *, document=None, theme=None, phase=None, organization=None
) -> QuerySet[Commitment]:
    if document is not None:
        qs = qs.filter(document=document)
    if theme is not None:
        qs = qs.filter(_tagged(Commitment, theme))
    if phase:
        qs = _phase(qs, phase)
    if organization is not None:
        named = Commitment.organizations.through.objects.filter(organization=organization)
        qs = qs.filter(pk__in=named.values("commitment_id"))
    return qs


@dataclass(frozen=True)
class Activity:
    """Something done about a commitment, on a day."""

    kind: str  # meeting, action, practice, request
    id: int
    title: str
    date: datetime.date | None
    record: object


def _action_day():
    """An action's day: when it was done, else its due date, else when it was entered."""
    return Coalesce("completed_on", "due", Cast("created", DateField()))


def _practice_day():
    return Coalesce("date", Cast("created", DateField()))


def _visible_activities(user, commitment_ref) -> dict[str, QuerySet]:
    """Each kind of activity the user may see, linked to the commitment(s) `commitment_ref`."""
    return {
        "meeting": Meeting.objects.visible_to(user)
        .filter(commitments=commitment_ref)
        .annotate(day=Cast("start", DateField())),
        "action": Action.objects.visible_to(user)
        .filter(commitments=commitment_ref)
        .annotate(day=_action_day()),
        "practice": Practice.objects.visible_to(user)
        .filter(commitments=commitment_ref)
        .annotate(day=_practice_day()),
        "request": Request.objects.visible_to(user)
        .filter(commitments=commitment_ref)
        .annotate(day=F("received")),
    }


def commitment_activities(user, commitment: Commitment) -> list[Activity]:
    """What implements the commitment, latest first: only the records the user may see."""
    found = []
    for kind, qs in _visible_activities(user, commitment).items():
        title = "subject" if kind == "request" else "title"
        for record in qs.order_by("-day", "-pk"):
            found.append(
                Activity(
                    kind=kind,
                    id=record.pk,
                    title=getattr(record, title),
                    date=record.day,
                    record=record,
                )
            )
    order = ["meeting", "action", "practice", "request"]
    found.sort(
        key=lambda a: (a.date or datetime.date.min, -order.index(a.kind), a.id), reverse=True
    )
    return found


def stale_commitments(user, today: datetime.date) -> QuerySet[Commitment]:
    """Commitments the user may see with no activity they may see in the last 12 months.

    An activity dated on or after `today` minus a year counts, planned meetings included.
    """
    since = today - datetime.timedelta(days=STALE_DAYS)
    qs = commitment_list(user)
    for _kind, activities in _visible_activities(user, OuterRef("pk")).items():
        qs = qs.filter(~Exists(activities.filter(day__gte=since)))
    return qs


def _count(qs: QuerySet) -> Coalesce:
    """COUNT(*) of a correlated queryset, as a subquery."""
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def commitment_engagements(user, commitment: Commitment) -> list[dict]:
    """For each organization the commitment names, what the user may see of the engagement
    with it since the document's date: meetings, actions, practices shared, requests."""
    document = commitment.document
    since = document.adopted_on or datetime.date(document.year, 1, 1)
    today = timezone.localdate()
    org = OuterRef("pk")
    taking_part = Meeting.organizations.through.objects.filter(
        meeting=OuterRef("pk"), organization=OuterRef(OuterRef("pk"))
    )
    meetings = (
        Meeting.objects.visible_to(user)
        .annotate(day=Cast("start", DateField()))
        .filter(day__gte=since)
        .filter(Q(host_organization=org) | Exists(taking_part))
    )
    actions = (
        Action.objects.visible_to(user)
        .annotate(day=_action_day())
        .filter(organization=org, day__gte=since)
    )
    shares = PracticeShare.objects.visible_to(user).filter(organization=org, shared_on__gte=since)
    requests = Request.objects.visible_to(user).filter(organization=org, received__gte=since)
    named = commitment.organizations.through.objects.filter(commitment=commitment)
    rows = (
        Organization.objects.visible_to(user)
        .filter(pk__in=named.values("organization_id"))
        .annotate(
            n_meetings=_count(meetings),
            n_actions=_count(actions),
            n_shares=_count(shares),
            n_requests=_count(requests),
            # The last one so far: a meeting planned or an action due later is not yet one.
            last_meeting=_latest(meetings.filter(day__lte=today), "day"),
            last_action=_latest(actions.filter(day__lte=today), "day"),
            last_share=_latest(shares, "shared_on"),
            last_request=_latest(requests, "received"),
        )
        .order_by("acronym")
    )
    return [
        {
            "organization": row,
            "since": since,
            "meetings": row.n_meetings,
            "actions": row.n_actions,
            "practices_shared": row.n_shares,
            "requests": row.n_requests,
            # The day of the latest of them (None without any).
            "last": max(
                (
                    day
                    for day in (row.last_meeting, row.last_action, row.last_share, row.last_request)
                    if day is not None
                ),
                default=None,
            ),
        }
        for row in rows
    ]


def _latest(qs: QuerySet, day: str) -> Subquery:
    """The latest `day` of a correlated queryset (None without rows), as a subquery."""
    return Subquery(qs.order_by(F(day).desc()).values(day)[:1], output_field=DateField())


def commitment_activity(user, qs: QuerySet[Commitment], today: datetime.date) -> QuerySet:
    """The commitments with what the user may see of their activity, in the same query:
    `n_activities`, `last_activity` (the latest day, or None) and `is_stale` (in
    stale_commitments(user, today): no activity in the last 12 months)."""
    kinds = list(_visible_activities(user, OuterRef("pk")).values())
    total = _count(kinds[0])
    for activities in kinds[1:]:
        total = total + _count(activities)
    return qs.annotate(
        n_activities=total,
        last_meeting_day=_latest(kinds[0], "day"),
        last_action_day=_latest(kinds[1], "day"),
        last_practice_day=_latest(kinds[2], "day"),
        last_request_day=_latest(kinds[3], "day"),
        is_stale=Exists(stale_commitments(user, today).filter(pk=OuterRef("pk"))),
    )


def last_activity(commitment) -> datetime.date | None:
    """The latest day of a commitment annotated by commitment_activity()."""
    days = (
        commitment.last_meeting_day,
        commitment.last_action_day,
        commitment.last_practice_day,
        commitment.last_request_day,
    )
    return max((d for d in days if d is not None), default=None)


def commitment_counts(user) -> dict:
    """How many commitments the user may see, and how many of them are stale today."""
    from django.utils import timezone

    today = timezone.localdate()
    return {
        "commitments": Commitment.objects.visible_to(user).count(),
        "stale": stale_commitments(user, today).aggregate(n=Count("pk"))["n"],
    }
