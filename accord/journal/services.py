"""The one write path for journal entries: UI, API, importers and tests call these."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from accord.core import services as core

from .attach import journal_models
from .choices import JournalKind
from .models import JournalEntry


def check_journaled(obj) -> None:
    if obj is None or obj.pk is None or type(obj) not in journal_models().values():
        raise ValidationError(
            {"assigned_object_type": _("Journal entries cannot be added to this kind of record.")}
        )


@transaction.atomic
def journal_entry_create(
    *,
    actor,
    assigned_object: models.Model,
    date: datetime.date,
    text: str,
    kind: str = JournalKind.NOTE,
    classification: str | None = None,
    shared_with=(),
    author=None,
) -> JournalEntry:
    """A note on `assigned_object`, written by `actor` (or `author`, for importers)."""
    core.require_editor(actor)
    check_journaled(assigned_object)
    if author is None and actor is not None and actor.is_authenticated:
        author = actor
    entry = JournalEntry(
        assigned_object_type=ContentType.objects.get_for_model(assigned_object),
        assigned_object_id=assigned_object.pk,
        date=date,
        kind=kind,
        text=text,
        author=author,
    )
    if classification is not None:
        entry.classification = classification
    return core.create(entry, actor=actor, m2m={"shared_with": shared_with})


@transaction.atomic
def journal_entry_update(
    *,
    actor,
    entry: JournalEntry,
    expected_version: int | None,
    shared_with=None,
    reason: str = "",
    **fields,
) -> JournalEntry:
    """Change the date, kind, text or classification; the record and author stay."""
    for name in (
        "assigned_object_type",
        "assigned_object_type_id",
        "assigned_object_id",
        "assigned_object",
        "author",
        "author_id",
    ):
        fields.pop(name, None)
    return core.update(
        entry,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m={"shared_with": shared_with},
        reason=reason,
    )


def journal_entry_delete(*, actor, entry: JournalEntry, expected_version=None):
    return core.delete(entry, actor=actor, expected_version=expected_version)
