"""Which models carry a journal: each app registers its own in AppConfig.ready().

The journal names no app. A registered model needs a `visible_to(user)` queryset method (the
policy decides who sees its entries: only those who see the record) and a
`get_absolute_url()` ending in "/", under which the app serves `journal/` (a subclass of
accord.journal.views.RecordJournalView). Give the model a GenericRelation to
"journal.JournalEntry" (see `journal_relation()`) so that deleting a record deletes its
entries with it, and restoring the deletion brings them back.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

_MODELS: dict[str, type[models.Model]] = {}


def register(*model_classes: type[models.Model]) -> None:
    for model in model_classes:
        _MODELS[model._meta.label_lower] = model


def journal_models() -> dict[str, type[models.Model]]:
    """{"registry.organization": Organization, ...} in the order they were registered."""
    return dict(_MODELS)


def model_for(label: str) -> type[models.Model] | None:
    return _MODELS.get(str(label).lower())


def journal_relation() -> GenericRelation:
    """The field a model declares (`journal_entries = journal_relation()`) to cascade."""
    return GenericRelation(
        "journal.JournalEntry",
        content_type_field="assigned_object_type",
        object_id_field="assigned_object_id",
    )
