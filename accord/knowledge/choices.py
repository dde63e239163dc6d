from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeKind(models.TextChoices):
    EXPERIENCE = "experience", _("Experience")
    BEST_PRACTICE = "best_practice", _("Best practice")
    LESSON_LEARNED = "lesson_learned", _("Lesson learned")


class RequestKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    BRIEFING = "briefing", _("Briefing")
    STUDY_VISIT = "study_visit", _("Study visit")
    TRAINING = "training", _("Training")
    EXPERT_EXCHANGE = "expert_exchange", _("Expert exchange")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Requests the office still has to answer.
OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
# A commitment with no activity for this many days is flagged.
STALE_DAYS = 365
