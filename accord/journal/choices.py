from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JournalKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", pgettext_lazy("journal kind", "Meeting")
    CONVERSATION = "conversation", _("Conversation")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    NOTE = "note", pgettext_lazy("journal kind", "Note")
    OTHER = "other", pgettext_lazy("journal kind", "Other")
