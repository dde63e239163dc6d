from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accord.core.historical import History
from accord.core.models import ClassifiedModel

from .choices import JournalKind
from .querysets import JournalEntryQuerySet


class JournalEntry(ClassifiedModel):
    """A dated note on a record: a call, a letter, a conversation, a meeting note."""

    assigned_object_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kind of record"),
    )
    assigned_object_id = models.PositiveBigIntegerField(_("record id"))
    assigned_object = GenericForeignKey("assigned_object_type", "assigned_object_id")
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=JournalKind.choices, default=JournalKind.NOTE
    )
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )

    objects = JournalEntryQuerySet.as_manager()
    history = History(m2m_fields=["shared_with"])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [
            models.Index(
                fields=["assigned_object_type", "assigned_object_id", "-date"],
                name="journal_entry_on_record",
            ),
            models.Index(fields=["-date", "-id"], name="journal_entry_date"),
        ]

    def __str__(self):
        return _("%(kind)s of %(date)s") % {
            "kind": self.get_kind_display(),
            "date": self.date.isoformat() if self.date else "?",
        }

    def get_absolute_url(self):
        return reverse("journal:entry_detail", args=[self.pk])
