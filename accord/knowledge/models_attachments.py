"""Files attached to practices, requests and framework documents (imported by models.py).

One model for the three kinds of record, through a generic key limited to them. Each record
gets an `attachments` relation (a GenericRelation added here, as a foreign key adds its
reverse accessor), so that an attachment is deleted, and restored, with its record.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.core.historical import History
from accord.core.models import VersionedModel

from .querysets import _sees_everything

# The records that take attachments, as "app_label.model".
ATTACHABLE = ("knowledge.practice", "knowledge.request", "registry.frameworkdocument")


def attachable_models(*, require_ready: bool = True) -> list[type[models.Model]]:
    return [apps.get_model(label, require_ready=require_ready) for label in ATTACHABLE]


def record_type_of(record) -> ContentType:
    """The content type of a record or of its model (cached by Django after the first)."""
    return ContentType.objects.get_for_model(record)


class RecordAttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Attachments of the records the user may see (each kind by its own policy)."""
        sees = _sees_everything(user)
        if sees is None:
            return self.none()
        if sees:
            return self
        condition = models.Q()
        for model in attachable_models():
            visible = model.objects.visible_to(user).filter(pk=models.OuterRef("record_id"))
            record_type = ContentType.objects.get_for_model(model)
            condition |= models.Q(models.Exists(visible), record_type=record_type)
        return self.filter(condition)

    def of(self, record):
        """The attachments of one record."""
        return self.filter(record_type=record_type_of(record), record_id=record.pk)


def record_attachment_path(instance, filename: str) -> str:
    return f"knowledge/{instance.record_type.model}/{instance.record_id}/{filename}"


class RecordAttachment(VersionedModel):
    """A file attached to a practice, a request or a framework document, with its text."""

    record_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=models.Q(app_label="knowledge", model__in=["practice", "request"])
        | models.Q(app_label="registry", model="frameworkdocument"),
        verbose_name=_("kind of record"),
    )
    record_id = models.PositiveBigIntegerField(_("record"))
    record = GenericForeignKey("record_type", "record_id")
    file = models.FileField(_("file"), upload_to=record_attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    # What the search finds it by (accord/core/textextract.py), read once when it is uploaded.
    # Editable only so that undoing a deletion brings it back (core.services.restore_deletion
    # restores editable fields); no form offers it.
    text = models.TextField(_("text"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    objects = RecordAttachmentQuerySet.as_manager()
    history = History()

    class Meta:
        ordering = ["record_type", "record_id", "original_name", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="record_attachment_record"),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return self.record.get_absolute_url() + "#attachments"

    def clean(self):
        if self.record_type_id is not None:
            label = f"{self.record_type.app_label}.{self.record_type.model}"
            if label not in ATTACHABLE:
                raise ValidationError(
                    {"record_type": _("Files are attached to practices, requests and documents.")}
                )


# Loaded while the models are: Practice and Request are defined above this module's import in
# models.py, FrameworkDocument by the registry, which comes before knowledge.
for _model in attachable_models(require_ready=False):
    _model.add_to_class(
        "attachments",
        GenericRelation(
            RecordAttachment,
            content_type_field="record_type",
            object_id_field="record_id",
            verbose_name=_("attachments"),
        ),
    )
