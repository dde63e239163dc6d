"""Write helpers every domain service uses: version checks, attribution, restore."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import policy
from .exceptions import ConflictError
from .historical import m2m_field_names, write_entry

M = TypeVar("M", bound=models.Model)


def require_editor(actor) -> None:
    if actor is not None and not policy.can_edit(actor):
        raise PermissionDenied(_("You may not change records."))


def attribute(instance: models.Model, actor, reason: str = "") -> None:
    """Tell django-simple-history who makes the next save and why."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    if reason:
        instance._change_reason = reason


def save_with_history(instance: models.Model, *, m2m: dict | None, history_type: str) -> None:
    """Save the row and its many-to-many links, then write one history entry for both."""
    instance.skip_history_when_saving = True
    try:
        instance.save()
        for name, values in (m2m or {}).items():
            if values is not None:
                getattr(instance, name).set(values)
    finally:
        del instance.skip_history_when_saving
    write_entry(instance, history_type)


def create(instance: M, *, actor, m2m: dict | None = None, reason: str = "") -> M:
    require_editor(actor)
    instance.full_clean()
    attribute(instance, actor, reason)
    save_with_history(instance, m2m=m2m, history_type="+")
    return instance


def lock_for_update(model: type[M], pk, expected_version: int | None) -> M:
    """Lock the row and refuse a stale version: the second of two concurrent editors loses."""
    current = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current_version=current.version)
    return current


def update(
    instance: M,
    *,
    actor,
    fields: dict,
    expected_version: int | None,
    m2m: dict | None = None,
    reason: str = "",
) -> M:
    """Apply `fields` to a locked copy of `instance` if its version is still `expected_version`."""
    require_editor(actor)
    with transaction.atomic():
        current = lock_for_update(type(instance), instance.pk, expected_version)
        for name, value in fields.items():
            setattr(current, name, value)
        current.full_clean()
        current.version = current.version + 1
        attribute(current, actor, reason)
        save_with_history(current, m2m=m2m, history_type="~")
    return current


def delete(instance: models.Model, *, actor, expected_version: int | None = None) -> None:
    require_editor(actor)
    with transaction.atomic():
        current = lock_for_update(type(instance), instance.pk, expected_version)
        attribute(current, actor)
        try:
            current.delete()
        except models.ProtectedError as exc:
            names = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
            raise ValidationError(
                _("It cannot be deleted while these refer to it: %(names)s.")
                % {"names": ", ".join(names)}
            ) from exc


def editable_field_names(model: type[models.Model]) -> list[str]:
    skip = {"id", "version", "created", "updated"}
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and f.name not in skip and not f.primary_key
    ]


def restore(
    instance: M,
    *,
    actor,
    history_id: int,
    expected_version: int | None = None,
    update_service: Callable | None = None,
) -> M:
    """Make a record as it was in one of its history entries, as a new change.

    `update_service(instance, actor=, expected_version=, reason=, **fields, **links)`, the domain's
    update service, so its rules across rows (no overlapping spells, one home) hold for a
    restore as for any edit. Related records deleted since are left out and named in
    `restored.not_restored`; a version whose required relation is gone cannot be restored.
    """
    record = instance.history.filter(history_id=history_id).first()
    if record is None:
        raise ValidationError(_("That version does not exist for this record."))
    model = type(instance)
    fields, not_restored = {}, []
    for name in editable_field_names(model):
        field = model._meta.get_field(name)
        value = getattr(record, field.attname)
        if field.is_relation and value is not None and not _exists(field.related_model, [value]):
            if not field.null:
                raise ValidationError(
                    _("That version names a %(model)s that no longer exists; restore it first.")
                    % {"model": field.related_model._meta.verbose_name}
                )
            not_restored.append(str(field.verbose_name))
            value = None
        fields[field.attname] = value
    links = {}
    for name in m2m_field_names(model):
        field = model._meta.get_field(name)
        # A historical link row keeps the through table's columns, e.g. `organization_id`.
        column = f"{field.m2m_reverse_field_name()}_id"
        ids = [getattr(row, column) for row in getattr(record, name).all()]
        existing = _exists(field.related_model, ids)
        if len(existing) < len(set(ids)):
            not_restored.append(str(field.verbose_name))
        links[name] = [i for i in ids if i in existing]
    reason = _("Restored the version of %(date)s") % {
        "date": record.history_date.strftime("%Y-%m-%d %H:%M")
    }
    if not_restored:
        reason += " " + _("(without deleted records in: %(fields)s)") % {
            "fields": ", ".join(not_restored)
        }
    if update_service is None:
        restored = update(
            instance,
            actor=actor,
            fields=fields,
            m2m=links,
            expected_version=expected_version,
            reason=reason,
        )
    else:
        restored = update_service(
            instance,
            actor=actor,
            expected_version=expected_version,
            reason=reason,
            **fields,
            **links,
        )
    restored.not_restored = not_restored
    return restored


def _exists(model: type[models.Model], ids) -> set:
    return set(model._base_manager.filter(pk__in=set(ids)).values_list("pk", flat=True))
