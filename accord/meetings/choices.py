from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingFormat(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral")
    MULTILATERAL = "multilateral", _("Multilateral")
    TRIPARTITE = "tripartite", _("Tripartite")
    STAFF_TALKS = "staff_talks", _("Staff talks")
    HIGH_LEVEL = "high_level", _("High-level")
    TARGET_ORIENTED = "target_oriented", _("Target-oriented")
    VISIT = "visit", _("Visit")
    VIDEO_CONFERENCE = "video_conference", _("Video conference")
    CONFERENCE = "conference", _("Conference")


class MeetingLevel(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters")
    SENIOR_OFFICIALS = "senior_officials", _("Senior officials")
    MINISTERIAL = "ministerial", _("Ministerial")
    EXPERT = "expert", _("Expert")
    FIELD = "field", _("Field")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


class Attendance(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    EXCUSED = "excused", _("Excused")


class OutcomeKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DECISION = "decision", _("Decision")
    AGREEMENT = "agreement", _("Agreement")
    ACTION = "action", _("Action")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# Actions still to chase: carried over to the next meeting, overdue once past their due date.
OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# Meetings that count as an occurrence of a series when judging whether it is overdue.
OCCURRING_STATUSES = (MeetingStatus.HELD, MeetingStatus.PLANNED)
