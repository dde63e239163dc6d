"""Write helpers every domain service uses: version checks, attribution, restore."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.formats import date_format
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


@contextmanager
def constraint_guard(instance: models.Model):
    """A unique rule broken by a concurrent writer is a ValidationError naming it, not a 500.

    full_clean() checks uniqueness before the save, but on PostgreSQL two transactions can
    pass that check together; the database refuses the second insert. Its savepoint is
    rolled back and the check run again, which now sees the first writer's committed row.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        instance.validate_unique()
        instance.validate_constraints()
        raise  # not a rule Django knows (e.g. an exclusion constraint): the caller's to name


def create(instance: M, *, actor, m2m: dict | None = None, reason: str = "") -> M:
    require_editor(actor)
    instance.full_clean()
    attribute(instance, actor, reason)
    with constraint_guard(instance):
        save_with_history(instance, m2m=m2m, history_type="+")
    return instance


def lock_for_update(model: type[M], pk, expected_version: int | None) -> M:
    """Lock the row and refuse a stale version: the second of two concurrent editors loses."""
    current = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(
            current_version=current.version,
            model=model,
            pk=pk,
            expected_version=expected_version,
        )
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
        with constraint_guard(current):
            save_with_history(current, m2m=m2m, history_type="~")
    return current


@dataclass
class DeletePreview:
    """What deleting a record takes with it: [(name, count)], links cut, and blockers."""

    cascades: list[tuple[str, int]]
    unlinks: list[tuple[str, str, int]]
    blocked_by: list[str]


def _blockers(exc: models.ProtectedError) -> list[str]:
    """ "2 people (Ada, Ben)" for each kind of record that protects the one to delete."""
    by_model: dict = {}
    for obj in exc.protected_objects:
        by_model.setdefault(type(obj), []).append(str(obj))
    lines = []
    for model, names in sorted(by_model.items(), key=lambda item: item[0]._meta.model_name):
        shown = ", ".join(sorted(names)[:5]) + (", …" if len(names) > 5 else "")
        lines.append(f"{len(names)} {_names_of(model, len(names))} ({shown})")
    return lines


def _names_of(model: type[models.Model], count: int) -> str:
    meta = model._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


def _collect(instance: models.Model) -> Collector:
    collector = Collector(using=router.db_for_write(type(instance)))
    collector.collect([instance])
    return collector


def delete_preview(instance: models.Model) -> DeletePreview:
    """What a delete of `instance` would take with it, for its confirm page."""
    try:
        collector = _collect(instance)
    except models.ProtectedError as exc:
        return DeletePreview(cascades=[], unlinks=[], blocked_by=_blockers(exc))
    cascades = [
        (_names_of(model, len(objs)), len(objs))
        for model, objs in collector.data.items()
        if model is not type(instance) and objs and not model._meta.auto_created
    ]
    unlinks = []
    for (field, _value), batches in collector.field_updates.items():
        count = sum(len(batch) for batch in batches)
        if count:
            unlinks.append((_names_of(field.model, count), str(field.verbose_name), count))
    return DeletePreview(cascades=cascades, unlinks=unlinks, blocked_by=[])


def delete(instance: models.Model, *, actor, expected_version: int | None = None):
    """Delete a record and what cascades from it, so that it can all be brought back.

    The record and every record deleted with it get a "-" history entry with one date and
    one user; records that only lose a link to it get a "~" entry with that date. A
    Deletion row names them all, for the "recently deleted" page and restore_deletion().
    """
    from .models import Deletion

    require_editor(actor)
    with transaction.atomic():
        current = lock_for_update(type(instance), instance.pk, expected_version)
        try:
            collector = _collect(current)
        except models.ProtectedError as exc:
            raise ValidationError(
                _("It cannot be deleted while these refer to it: %(names)s.")
                % {"names": "; ".join(_blockers(exc))}
            ) from exc
        when = timezone.now()
        user = actor if actor is not None and actor.is_authenticated else None
        # The collector clears the pk when it deletes.
        label, deleted_pk = str(current), current.pk
        contents = []
        for model, objs in collector.data.items():
            for obj in objs:
                obj._history_date = when
                if user is not None:
                    obj._history_user = user
                if obj is not current and not (model is type(current) and obj.pk == current.pk):
                    obj._change_reason = _("Deleted with %(record)s") % {"record": label}
            if model is not type(current) and objs and not model._meta.auto_created:
                contents.append({"model": model._meta.label_lower, "count": len(objs)})
        unlinked = []
        for (field, _value), batches in collector.field_updates.items():
            # [id, the id it pointed at]: what to link again on restore.
            pairs = sorted({(obj.pk, getattr(obj, field.attname)) for b in batches for obj in b})
            if pairs:
                unlinked.append(
                    {
                        "model": field.model._meta.label_lower,
                        "field": field.name,
                        "ids": [pk for pk, _target in pairs],
                        "links": [list(pair) for pair in pairs],
                    }
                )
        # Many-to-many links that go with it (basis, sharing, borders): kept to be put back.
        link_rows = []
        for batch in [*collector.fast_deletes, *collector.data.items()]:
            model, objs = (batch.model, batch) if hasattr(batch, "model") else batch
            if model._meta.auto_created:
                rows = [
                    {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
                    for obj in objs
                ]
                if rows:
                    link_rows.append({"through": model._meta.label_lower, "rows": rows})
        collector.delete()
        changed = {}
        for entry in unlinked:
            model = apps.get_model(entry["model"])
            changed.setdefault(model, set()).update(entry["ids"])
        for entry in link_rows:
            for model, pk in _link_ends(entry):
                changed.setdefault(model, set()).add(pk)
        # Records that lost a link are changed too: one history entry each, with the reason.
        # The base manager on purpose: an editor's delete writes to every record it touched,
        # hidden ones included, and shows nothing of them.
        for model, ids in changed.items():
            if getattr(model, "_history_records", None) is None:
                continue
            for obj in model._base_manager.filter(pk__in=ids):
                obj._history_date = when
                attribute(
                    obj, user, _("Link to %(record)s removed by its deletion") % {"record": label}
                )
                obj.version += 1
                save_with_history(obj, m2m=None, history_type="~")
        unlinked += link_rows
        return Deletion.objects.create(
            deleted=when,
            user=user,
            model=type(current)._meta.label_lower,
            object_id=deleted_pk,
            label=label[:300],
            contents=contents,
            unlinked=unlinked,
        )


def _link_ends(entry: dict):
    """(model, id) of the records whose many-to-many field held the stored rows, if they exist.

    Only the side that declares the field (a partnership's basis, not the document) changed.
    """
    through = apps.get_model(entry["through"])
    owner = through._meta.auto_created
    for field in through._meta.concrete_fields:
        if not field.is_relation or field.related_model is not owner:
            continue
        for pk in _exists(field.related_model, (row[field.attname] for row in entry["rows"])):
            yield field.related_model, pk


def _ends_exist(through, row: dict) -> bool:
    return all(
        _exists(field.related_model, [row[field.attname]])
        for field in through._meta.concrete_fields
        if field.is_relation
    )


def _in_dependency_order(rows: list) -> list:
    """History rows ordered so that a record comes after the records it refers to."""
    keys = {(row.instance_type, row.id) for row in rows}
    ordered, placed, pending = [], set(), sorted(rows, key=lambda row: row.history_id)
    while pending:
        waiting = []
        for row in pending:
            needs = {
                (f.related_model, getattr(row, f.attname))
                for f in row.instance_type._meta.concrete_fields
                if f.is_relation and getattr(row, f.attname) is not None
            }
            if (needs & keys) - placed:
                waiting.append(row)
            else:
                ordered.append(row)
                placed.add((row.instance_type, row.id))
        if len(waiting) == len(pending):  # a cycle: keep the order they were deleted in
            ordered += waiting
            break
        pending = waiting
    return ordered


def restore_deletion(deletion, *, actor):
    """Bring back a deleted record with everything deleted with it and the links it lost.

    Each record comes back as its last version before the delete, with its id, as a new
    history entry. Links to records that no longer exist are left out and named in the
    result; a clash with a record made since (the same acronym) refuses the whole restore.
    It reads and writes through the base manager: it is for editors, who see every record.
    """
    require_editor(actor)
    if deletion.restored is not None:
        raise ValidationError(_("This deletion was already undone."))
    not_restored = []
    with transaction.atomic():
        models_deleted = [deletion.model_class] + [
            apps.get_model(entry["model"]) for entry in deletion.contents
        ]
        rows = []
        for model in dict.fromkeys(models_deleted):
            rows.extend(model.history.filter(history_date=deletion.deleted, history_type="-"))
        for row in _in_dependency_order(rows):
            model = row.instance_type
            if _exists(model, [row.id]):
                continue
            before = (
                model.history.filter(id=row.id, history_id__lt=row.history_id)
                .order_by("-history_id")
                .first()
            ) or row
            obj = model(pk=row.id)
            for name in editable_field_names(model):
                field = model._meta.get_field(name)
                setattr(obj, field.attname, getattr(before, field.attname))
            obj.version = (before.version or 0) + 1
            obj.full_clean(validate_unique=True)
            links = _historical_links(model, before, not_restored)
            attribute(obj, actor, _("Restored after its deletion"))
            save_with_history(obj, m2m=links, history_type="+")
        relinked = {}
        for entry in deletion.unlinked:
            if "through" in entry:
                through = apps.get_model(entry["through"])
                links = [through(**r) for r in entry["rows"] if _ends_exist(through, r)]
                if len(links) < len(entry["rows"]):
                    not_restored.append(str(through._meta.verbose_name))
                through._base_manager.bulk_create(links, ignore_conflicts=True)
                for model, pk in _link_ends(entry):
                    relinked.setdefault(model, set()).add(pk)
                continue
            model = apps.get_model(entry["model"])
            field = model._meta.get_field(entry["field"])
            targets = dict(entry["links"])
            for obj in model._base_manager.filter(pk__in=targets, **{field.name: None}):
                if not _exists(field.related_model, [targets[obj.pk]]):
                    not_restored.append(str(field.verbose_name))
                    continue
                obj.version += 1
                setattr(obj, field.attname, targets[obj.pk])
                attribute(
                    obj, actor, _("Link restored with %(record)s") % {"record": deletion.label}
                )
                save_with_history(obj, m2m=None, history_type="~")
        # Records whose many-to-many links came back: an entry each, so history shows them.
        restored_ids = {(row.instance_type, row.id) for row in rows}
        for model, ids in relinked.items():
            if getattr(model, "_history_records", None) is None:
                continue
            for obj in model._base_manager.filter(pk__in=ids):
                if (model, obj.pk) in restored_ids:
                    continue
                attribute(
                    obj, actor, _("Link restored with %(record)s") % {"record": deletion.label}
                )
                obj.version += 1
                save_with_history(obj, m2m=None, history_type="~")
        deletion.restored = timezone.now()
        deletion.restored_by = actor if actor is not None and actor.is_authenticated else None
        deletion.save(update_fields=["restored", "restored_by"])
    deletion.not_restored = sorted(set(not_restored))
    return deletion


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
    links = _historical_links(model, record, not_restored)
    reason = _("Restored the version of %(date)s") % {
        "date": date_format(timezone.localtime(record.history_date), "SHORT_DATETIME_FORMAT")
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


def _historical_links(model, record, not_restored: list) -> dict:
    """A history entry's many-to-many links, less the records deleted since (named in
    `not_restored`)."""
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
    return links


def _exists(model: type[models.Model], ids) -> set:
    """Which of `ids` still exist, hidden or not.

    The base manager on purpose: writes (restores, deletes) are for editors, who see every
    record, and what it finds only decides what to write, never what a user is shown.
    """
    return set(model._base_manager.filter(pk__in=set(ids)).values_list("pk", flat=True))
