"""Chainable reads with the visibility policy built in (`visible_to(user)`).

Series, meetings and actions are classified records. What belongs to a meeting (agenda items,
outcomes, participants, attachments) is seen with its meeting, a template item with its
series. An action raised at a meeting is seen only when the action and the meeting both are.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import models
from django.db.models import Case, Q, Value, When

from accord.core import policy
from accord.core.querysets import ClassifiedQuerySet

from .choices import OPEN_ACTION_STATUSES


def _sees_everything(user) -> bool | None:
    """True for administrators and editors, None for users who see nothing, else False."""
    condition = policy.classified_filter(user)
    if condition is None:
        return None
    return not condition


class SeriesQuerySet(ClassifiedQuerySet):
    pass


class MeetingQuerySet(ClassifiedQuerySet):
    def involving(self, organization):
        """Meetings an organization hosted or took part in."""
        through = self.model.organizations.through
        taking_part = through.objects.filter(organization=organization).values("meeting_id")
        return self.filter(Q(host_organization=organization) | Q(pk__in=taking_part))

    def in_range(self, start: datetime.datetime, end: datetime.datetime):
        """Meetings that overlap [start, end)."""
        return self.filter(start__lt=end, end__gt=start)


class _FollowsParent(models.QuerySet):
    """Rows seen with the classified record they belong to (`parent` names the lookup)."""

    parent = ""
    parent_model = ""

    def visible_to(self, user):
        sees = _sees_everything(user)
        if sees is None:
            return self.none()
        if sees:
            return self
        # A correlated EXISTS on the parent's primary key, not "parent IN (every visible one)".
        visible = apps.get_model(self.parent_model).objects.visible_to(user)
        return self.filter(models.Exists(visible.filter(pk=models.OuterRef(self.parent))))


class MeetingPartQuerySet(_FollowsParent):
    parent = "meeting"
    parent_model = "meetings.Meeting"


class SeriesPartQuerySet(_FollowsParent):
    parent = "series"
    parent_model = "meetings.Series"


class AgendaItemQuerySet(MeetingPartQuerySet):
    pass


class OutcomeQuerySet(_FollowsParent):
    parent = "agenda_item__meeting"
    parent_model = "meetings.Meeting"


class ParticipantQuerySet(MeetingPartQuerySet):
    def visible_to(self, user):
        """Participants of visible meetings who are themselves people the user may see."""
        qs = super().visible_to(user)
        if _sees_everything(user) is False:
            people = apps.get_model("registry.Person").objects.visible_to(user)
            qs = qs.filter(models.Exists(people.filter(pk=models.OuterRef("person_id"))))
        return qs


class ActionQuerySet(ClassifiedQuerySet):
    def visible_to(self, user):
        """Actions the user may see, raised at no meeting or at a meeting the user may see."""
        qs = super().visible_to(user)
        if _sees_everything(user) is False:
            meetings = apps.get_model("meetings.Meeting").objects.visible_to(user)
            at_visible = models.Exists(meetings.filter(pk=models.OuterRef("meeting_id")))
            qs = qs.filter(Q(meeting__isnull=True) | at_visible)
        return qs

    def still_open(self):
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today: datetime.date):
        return self.still_open().filter(due__lt=today)

    def with_overdue(self, today: datetime.date):
        """Each action annotated `is_overdue`: still open and due before `today`."""
        return self.annotate(
            is_overdue=Case(
                When(Q(status__in=OPEN_ACTION_STATUSES, due__lt=today), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
