"""The one write path for the files of practices, requests and framework documents.

The same checks as a meeting's files (accord/meetings/files.py, ACCORD_ATTACHMENT_MAX_BYTES):
the size, the kind read from the bytes, and the text read for the search. Whatever fails, no
row, no stored file and no change of the search index is left behind.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accord.core import services as core
from accord.core.textextract import extract_text
from accord.meetings import files

from .models_attachments import ATTACHABLE, RecordAttachment, record_type_of


@transaction.atomic
def record_attachment_create(*, actor, record, file, name: str | None = None) -> RecordAttachment:
    """Store `file` (an upload or any Django File) with a practice, a request or a framework
    document, after checking its size, its content and its text."""
    core.require_editor(actor)
    if record._meta.label_lower not in ATTACHABLE:
        raise ValidationError(_("Files are attached to practices, requests and documents."))
    original = files.clean_name(name or getattr(file, "name", "") or "")
    size = files.checked_size(file)
    kind = files.sniff(file, original)
    record_type = record_type_of(record)
    attachment = RecordAttachment(
        record_type=record_type,
        record_id=record.pk,
        original_name=original,
        content_type=kind.content_type,
        size=size,
        text=extract_text(file, kind.content_type, name=original),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    attachment.full_clean(exclude=["file"])

    def create(stored):
        attachment.file.name = stored
        # Saving it reindexes its record in this transaction (search.py watches the model).
        return core.create(attachment, actor=actor)

    return files.store(
        file,
        f"knowledge/{record_type.model}/{record.pk}/{original}",
        max_length=RecordAttachment.file.field.max_length,
        create=create,
    )


def record_attachment_delete(*, actor, attachment: RecordAttachment, expected_version=None):
    """Delete the attachment's record; the file is kept so that the deletion can be undone."""
    return core.delete(attachment, actor=actor, expected_version=expected_version)
