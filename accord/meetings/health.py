"""Engagement health of a partner organization: are we meeting it as often as we mean to, and
are the actions agreed with it followed up?

Three facts about each organization, read through the policy for the reader (a restricted
meeting never changes a viewer's light):

- the days since the last *held* meeting it hosted or took part in;
- the cadence it is meant to be met at: the shortest cadence of the series it belongs to (as
  host or participant), or DEFAULT_CADENCE_DAYS (12 months) when it is in no series — the
  explanation says so;
- its open actions (open or in progress) and, among them, the overdue ones.

`assess()` turns them into a score from 0 to 100, a traffic light and an explanation in words;
it is a pure function of plain values. The score is

    100 - recency penalty - overdue penalty

where the recency penalty is 0 while the last meeting is within the cadence, then grows by one
point per 1 % of the cadence it is late (100 × (days - cadence) // cadence), capped at
MAX_RECENCY_PENALTY (also the penalty when no meeting was ever held), and the overdue penalty
is OVERDUE_ACTION_PENALTY per overdue action, capped at MAX_OVERDUE_PENALTY. Green from
GREEN_FROM, amber from AMBER_FROM, red below. Open actions that are not overdue are named in
the explanation but cost nothing: work in hand is a sign of a living relationship.

The facts come from SQL for a whole page of organizations at once, through the policy for the
reader: `attach()` reads them for the page of the organization list (one query, plus one for
the cadences of the series the reader may see: RRULEs are read by dateutil, not by SQL),
`engagement_of()` for one organization's page and the API. `annotate(only_score=True)` computes
the same score in SQL, for sorting the list by it and for its exports; a test holds the two
equal. Organizations with nothing to judge (no partnership with the home organization, no
series, no held meeting, no open action) and the home organization itself get no score and no
light.

The light is the home organization's judgement of its partners, so the pages and the API show
it to its staff (administrators, editors, viewers), not to a partner's focal point: counted
from the few records shared with one partner, every other partner would look neglected.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least, NullIf, TruncDate
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accord.core import policy
from accord.registry.models import Organization, Partnership

from . import recurrence
from .choices import OPEN_ACTION_STATUSES, MeetingFormat, MeetingStatus
from .models import Action, Meeting, Series

# A partner in no series is meant to be met once a year.
DEFAULT_CADENCE_DAYS = 365
MAX_RECENCY_PENALTY = 70
OVERDUE_ACTION_PENALTY = 10
MAX_OVERDUE_PENALTY = 30
GREEN_FROM = 75
AMBER_FROM = 40
# What SQL counts a meeting never held as: so long ago that the recency costs the most.
NEVER_AT = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
# Durations from this many days on are said in months.
MONTHS_FROM_DAYS = 60
DAYS_PER_MONTH = 365.25 / 12

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"
LIGHT_LABELS = {
    GREEN: gettext_lazy("On track"),
    AMBER: gettext_lazy("Needs attention"),
    RED: gettext_lazy("At risk"),
    NONE: gettext_lazy("Nothing to judge"),
}
# Bootstrap's colours for each light; the label is always written too (not colour alone).
LIGHT_CLASSES = {
    GREEN: "text-bg-success",
    AMBER: "text-bg-warning",
    RED: "text-bg-danger",
    NONE: "text-bg-light border",
}

# The annotations `annotate()` adds (and the organization list sorts by SCORE).
LAST_AT = "engagement_last_at"  # an alias: the start, or NEVER_AT
LAST_HELD = "engagement_last_held"
CADENCE = "engagement_cadence"
OPEN = "engagement_open"
OVERDUE = "engagement_overdue"
PARTNER = "engagement_partner"
SCORE = "engagement_score"


# ---------------------------------------------------------------- the score (pure functions)


def recency_penalty(days_since: int | None, cadence_days: int) -> int:
    """0 within the cadence, then one point per 1 % late, at most MAX_RECENCY_PENALTY."""
    if days_since is None:
        return MAX_RECENCY_PENALTY
    late = max(0, days_since) - cadence_days
    return min(MAX_RECENCY_PENALTY, max(0, (100 * late) // cadence_days))


def overdue_penalty(overdue_actions: int) -> int:
    return min(MAX_OVERDUE_PENALTY, OVERDUE_ACTION_PENALTY * overdue_actions)


def score(*, days_since: int | None, cadence_days: int, overdue_actions: int) -> int:
    """0 to 100: see the module's docstring."""
    return 100 - recency_penalty(days_since, cadence_days) - overdue_penalty(overdue_actions)


def light(value: int | None) -> str:
    if value is None:
        return NONE
    if value >= GREEN_FROM:
        return GREEN
    if value >= AMBER_FROM:
        return AMBER
    return RED


def duration(days: int) -> str:
    """A number of days in words: in days below MONTHS_FROM_DAYS, else in whole months."""
    if days < MONTHS_FROM_DAYS:
        return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
    months = round(days / DAYS_PER_MONTH)
    return ngettext("%(count)s month", "%(count)s months", months) % {"count": months}


@dataclass(frozen=True)
class Engagement:
    """The engagement health of one organization as the reader may see it."""

    score: int | None
    light: str
    days_since: int | None
    cadence_days: int
    # True when the organization is in no series the reader may see: the default cadence.
    default_cadence: bool
    # The format (MeetingFormat value) of the last held meeting, "" when none.
    last_format: str
    last_held: datetime.date | None
    open_actions: int
    overdue_actions: int

    @property
    def judged(self) -> bool:
        return self.score is not None

    @property
    def label(self) -> str:
        return str(LIGHT_LABELS[self.light])

    @property
    def css_class(self) -> str:
        return LIGHT_CLASSES[self.light]

    @property
    def explanation(self) -> str:
        """The score in words, in the reader's language: "Last meeting (staff talks) 14 months
        ago, cadence 12 months; 2 overdue actions"."""
        if not self.judged:
            return _("No partnership, series, meeting held or open action to judge by.")
        if self.days_since is None:
            recency = _("no meeting held yet")
        elif self.last_format in MeetingFormat.values:
            recency = _("last meeting (%(format)s) %(ago)s ago") % {
                "format": MeetingFormat(self.last_format).label,
                "ago": duration(max(0, self.days_since)),
            }
        else:
            recency = _("last meeting %(ago)s ago") % {"ago": duration(max(0, self.days_since))}
        if self.default_cadence:
            cadence = _("in no series: default cadence %(cadence)s") % {
                "cadence": duration(self.cadence_days)
            }
        else:
            cadence = _("cadence %(cadence)s") % {"cadence": duration(self.cadence_days)}
        still_open = self.open_actions - self.overdue_actions
        if self.overdue_actions:
            actions = ngettext(
                "%(count)s overdue action", "%(count)s overdue actions", self.overdue_actions
            ) % {"count": self.overdue_actions}
            if still_open:
                actions = _("%(overdue)s (%(open)s)") % {
                    "overdue": actions,
                    "open": ngettext("%(count)s more open", "%(count)s more open", still_open)
                    % {"count": still_open},
                }
        elif still_open:
            actions = ngettext(
                "%(count)s open action, none overdue",
                "%(count)s open actions, none overdue",
                still_open,
            ) % {"count": still_open}
        else:
            actions = _("no open action")
        return capfirst(
            _("%(recency)s, %(cadence)s; %(actions)s.")
            % {"recency": recency, "cadence": cadence, "actions": actions}
        )


def assess(
    *,
    days_since: int | None,
    cadence_days: int | None,
    last_format: str = "",
    last_held: datetime.date | None = None,
    open_actions: int = 0,
    overdue_actions: int = 0,
    judged: bool = True,
) -> Engagement:
    """The engagement health from plain values. `cadence_days` None: in no series (the
    default cadence); `judged` False: nothing to judge by (no score, no light)."""
    cadence = cadence_days or DEFAULT_CADENCE_DAYS
    value = (
        score(days_since=days_since, cadence_days=cadence, overdue_actions=overdue_actions)
        if judged
        else None
    )
    return Engagement(
        score=value,
        light=light(value),
        days_since=days_since,
        cadence_days=cadence,
        default_cadence=cadence_days is None,
        last_format=last_format or "",
        last_held=last_held,
        open_actions=open_actions,
        overdue_actions=overdue_actions,
    )


# ---------------------------------------------------------------- in SQL, for a page of rows


class DaysBetween(Func):
    """Whole days from the date `earlier` to the date `later` (negative when it is after)."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        later, later_params = compiler.compile(self.source_expressions[0])
        earlier, earlier_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "sqlite":
            sql = f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
        else:
            # PostgreSQL: the difference of two dates is a whole number of days.
            sql = f"(CAST({later} AS date) - CAST({earlier} AS date))"
        return sql, (*later_params, *earlier_params)


class Unindexed(Func):
    """A column SQLite's planner must not lead a query with (a unary + on SQLite).

    Without statistics (the app never runs ANALYZE) SQLite prefers the (status, start) index
    of meetings to the organization's own indexes, and so walks every held meeting for each
    organization. PostgreSQL plans by its statistics: the column as it is."""

    arity = 1
    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def _held(meetings: QuerySet) -> QuerySet:
    """The held meetings of `meetings`, found from the organization's indexes."""
    return meetings.alias(held_status=Unindexed(F("status"), output_field=CharField())).filter(
        held_status=MeetingStatus.HELD
    )


@functools.lru_cache(maxsize=512)
def _cadence_days(rule: str) -> int | None:
    return recurrence.cadence_days(rule)


def cadences(user) -> dict[str, int]:
    """{rule: days} of the cadences of the series the user may see: one query."""
    rules = Series.objects.visible_to(user).order_by().values_list("cadence", flat=True).distinct()
    found = {}
    for rule in rules:
        days = _cadence_days(rule)
        if days is not None:
            found[rule] = days
    return found


def _visible(model, user) -> QuerySet:
    """The rows of a classified model the user may see, for the subqueries below.

    The policy's condition (policy.classified_filter) is applied in place for the staff, whose
    condition joins no table: visible_to() would add a subquery listing every visible row,
    which SQLite builds again for each subquery of a statement. A partner's condition joins
    the sharing table, whose extra rows would count twice: visible_to() keeps one per record.
    """
    condition = policy.classified_filter(user)
    if condition is None:
        return model.objects.none()
    if policy.partner_organization_id(user) is None:
        return model.objects.filter(condition)
    return model.objects.visible_to(user)


def _prefixed(condition: Q, prefix: str) -> Q:
    """The same condition on the record `prefix` leads to ("meeting__")."""
    copy = Q()
    copy.connector, copy.negated = condition.connector, condition.negated
    copy.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in condition.children
    ]
    return copy


def _visible_actions(user) -> QuerySet:
    """Actions the user may see: ActionQuerySet.visible_to(), in place for the staff."""
    if policy.partner_organization_id(user) is not None:
        return Action.objects.visible_to(user)
    condition = policy.classified_filter(user)
    if condition is None:
        return Action.objects.none()
    if not condition:
        return Action.objects.all()
    return Action.objects.filter(condition).filter(
        Q(meeting__isnull=True) | _prefixed(condition, "meeting__")
    )


def _of_outer_organization(qs):
    """Meetings (or series) the organization of the outer query hosted or takes part in.

    One list of ids, from the two indexes (host, participants), rather than "host = o OR id
    IN (...)", which sends SQLite through every meeting by date for each organization.
    """
    model = qs.model
    column = "meeting_id" if model is Meeting else "series_id"
    taking_part = (
        model.organizations.through.objects.filter(organization=OuterRef(OuterRef("pk")))
        .order_by()
        .values(column)
    )
    hosted = (
        model._base_manager.filter(host_organization=OuterRef(OuterRef("pk")))
        .order_by()
        .values("pk")
    )
    return qs.filter(pk__in=taking_part.union(hosted, all=True))


def _count(qs) -> Coalesce:
    counted = qs.order_by().values("organization").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def annotate(
    queryset: QuerySet[Organization],
    user,
    *,
    today: datetime.date | None = None,
    only_score: bool = False,
) -> QuerySet[Organization]:
    """Organizations annotated with their engagement facts (of_record() reads them), from what
    `user` may see. One query for the cadences here; the rest goes into the queryset's own
    query as correlated subqueries, each led by an index.

    `only_score`: SCORE alone instead (None: no light), to sort by or export: assess()'s score
    computed in SQL, the facts inside it and not fetched. Sorting computes it for every
    organization, so it refers to each subquery once."""
    today = today or timezone.localdate()
    # The latest start of a held meeting the organization hosted, and of one it took part in:
    # each led by its index (host; participants), with MAX() rather than ORDER BY start DESC
    # LIMIT 1, which sends SQLite through every meeting by date for each organization. The
    # later of the two is the last meeting held; NEVER_AT stands for none (no NULL inside
    # GREATEST, which PostgreSQL skips and SQLite returns).
    held = _held(_visible(Meeting, user)).order_by()

    def latest(qs):
        found = qs.annotate(latest=Func(F("start"), function="MAX")).values("latest")[:1]
        return Coalesce(Subquery(found, output_field=DateTimeField()), Value(NEVER_AT))

    last = Greatest(
        latest(held.filter(host_organization=OuterRef("pk"))),
        latest(held.filter(organizations=OuterRef("pk"))),
    )
    actions = _visible_actions(user).filter(
        organization=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES
    )
    partnerships = Partnership.objects.visible_to(user).filter(
        Q(organization__is_home=True, partner=OuterRef("pk"))
        | Q(partner__is_home=True, organization=OuterRef("pk"))
    )
    known = cadences(user)
    if known:
        days = Case(
            *[When(cadence=rule, then=Value(n)) for rule, n in sorted(known.items())],
            default=Value(None),
            output_field=IntegerField(),
        )
        series = (
            _of_outer_organization(_visible(Series, user))
            .annotate(days=days)
            .filter(days__isnull=False)
            .order_by("days")
            .values("days")[:1]
        )
        cadence = Subquery(series, output_field=IntegerField())
    else:
        cadence = Value(None, output_field=IntegerField())
    zone = timezone.get_current_timezone()
    facts = {
        # The home organization is in every meeting and has no light: not looked up.
        LAST_AT: Case(When(is_home=True, then=Value(None)), default=last),
        CADENCE: cadence,
        OPEN: _count(actions),
        OVERDUE: _count(actions.filter(due__lt=today)),
        PARTNER: Exists(partnerships),
    }
    if not only_score:
        return queryset.alias(**{LAST_AT: facts.pop(LAST_AT)}).annotate(
            **{LAST_HELD: TruncDate(NullIf(F(LAST_AT), Value(NEVER_AT)), tzinfo=zone)},
            **facts,
        )
    queryset = queryset.alias(**facts)
    # The score of assess(), in SQL, with the same integer arithmetic: for days d >= 0 and a
    # cadence c, 100 * d // c - 100 is 100 * (d - c) // c, and each subquery comes in once.
    every = Coalesce(F(CADENCE), Value(DEFAULT_CADENCE_DAYS))
    since = DaysBetween(Value(today), TruncDate(F(LAST_AT), tzinfo=zone))
    recency = Least(
        Value(MAX_RECENCY_PENALTY),
        Greatest(Value(0), Value(100) * since / every - Value(100)),
    )
    overdue = Least(Value(MAX_OVERDUE_PENALTY), Value(OVERDUE_ACTION_PENALTY) * F(OVERDUE))
    # In this order: most organizations have an open action, which settles it at once.
    nothing = (
        Q(**{OPEN: 0})
        & Q(**{PARTNER: False})
        & Q(**{f"{CADENCE}__isnull": True})
        & Q(**{LAST_AT: NEVER_AT})
    )
    return queryset.annotate(
        **{
            SCORE: Case(
                When(Q(is_home=True) | nothing, then=Value(None)),
                default=Value(100) - recency - overdue,
                output_field=IntegerField(),
            )
        }
    )


def attach(organizations, user, *, today: datetime.date | None = None) -> None:
    """Set the engagement facts on each of `organizations` (a page of the list), read in one
    query (and one for the cadences)."""
    organizations = list(organizations)
    if not organizations:
        return
    names = (LAST_HELD, CADENCE, OPEN, OVERDUE, PARTNER)
    rows = annotate(
        Organization.objects.filter(pk__in=[o.pk for o in organizations]), user, today=today
    ).values("pk", *names)
    found = {row["pk"]: row for row in rows}
    for organization in organizations:
        row = found.get(organization.pk, {})
        for name in names:
            setattr(organization, name, row.get(name))


def of_record(
    organization, today: datetime.date | None = None, last_format: str = ""
) -> Engagement:
    """The engagement of an organization read through annotate(); `last_format`, the format
    of its last meeting held, when the caller has it (a page of rows has not: the list says
    "last meeting" without it)."""
    today = today or timezone.localdate()
    last_held = getattr(organization, LAST_HELD)
    cadence = getattr(organization, CADENCE)
    open_actions = getattr(organization, OPEN)
    # As annotate()'s SCORE: nothing to judge by, or the home organization itself.
    nothing = (
        not open_actions
        and not getattr(organization, PARTNER)
        and cadence is None
        and last_held is None
    )
    return assess(
        days_since=(today - last_held).days if last_held is not None else None,
        cadence_days=cadence,
        last_format=last_format if last_held is not None else "",
        last_held=last_held,
        open_actions=open_actions,
        overdue_actions=getattr(organization, OVERDUE),
        judged=not (organization.is_home or nothing),
    )


def engagement_of(
    user, organization, *, today: datetime.date | None = None, last_meeting=False
) -> Engagement:
    """One organization's engagement as `user` may see it, with the format of its last meeting
    held (`last_meeting`: that meeting, when the caller has read it): three queries."""
    today = today or timezone.localdate()
    row = annotate(Organization.objects.filter(pk=organization.pk), user, today=today).first()
    if row is None:
        return assess(days_since=None, cadence_days=None, judged=False)
    if last_meeting is False:
        last_meeting = last_held_meeting(user, organization)
    return of_record(row, today, last_meeting.format if last_meeting is not None else "")


def last_held_meeting(user, organization):
    """The last held meeting the organization hosted or took part in, as `user` may see it:
    the one at the latest start (MAX, then that start's index; ordering the held meetings by
    date would walk through all of them)."""
    through = Meeting.organizations.through
    involving = Q(host_organization=organization) | Q(
        pk__in=through.objects.filter(organization=organization).values("meeting_id")
    )
    held = _held(_visible(Meeting, user)).filter(involving).order_by()
    latest = held.annotate(latest=Func(F("start"), function="MAX")).values("latest")[:1]
    return (
        held.filter(start=Subquery(latest, output_field=DateTimeField()))
        .order_by("-pk")
        .only("pk", "title", "start", "format", "is_sample", "time_zone")
        .first()
    )


# ---------------------------------------------------------------- on the organization pages


def shown_to(user) -> bool:
    """The staff of the home organization: every role but a partner's focal point."""
    return policy.is_home_staff(user)


def organization_panel(request, organization) -> dict | None:
    """The organization page's panel: its light, the explanation and the last meeting held.
    None for the home organization, which is not its own partner."""
    user = request.user
    if organization.is_home or not shown_to(user):
        return None
    last_meeting = last_held_meeting(user, organization)
    return {
        "organization": organization,
        "engagement": engagement_of(user, organization, last_meeting=last_meeting),
        "last_meeting": last_meeting,
        "green_from": GREEN_FROM,
        "amber_from": AMBER_FROM,
    }


def register_extensions() -> None:
    """The engagement column of the organization list and panel of the organization page."""
    from accord.core import extensions
    from accord.core.tables import HIDDEN_BELOW

    extensions.register_list_column(
        "organizations",
        "engagement",
        label=gettext_lazy("Engagement"),
        # The score alone, when the list sorts by it or is exported; the page's facts and
        # scores in one query otherwise.
        annotate=functools.partial(annotate, only_score=True),
        attach=attach,
        template_name="meetings/includes/engagement_cell.html",
        sort_by=SCORE,
        cell_class=HIDDEN_BELOW[2],
        visible=shown_to,
    )
    extensions.register_record_panel(
        "organization",
        "engagement",
        template_name="meetings/panels/engagement.html",
        context=organization_panel,
    )
