"""Keeping the index in step with the records, in the writer's own transaction.

Every registered kind's model and the models it watches are connected (post_save,
post_delete, and m2m_changed of their many-to-many fields but the sharing, which the search
reads live through the policy): a write reindexes what it changed before its transaction
commits, so the index and the records commit or roll back together. Writes that bypass
signals (bulk_create, queryset.update) call `reindex(obj)` / `remove(obj)`; `rebuild()`
makes the whole index again (`accord reindex`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from accord.core import extensions
from accord.core.extensions import SearchDocument, SearchKind

from .models import SearchEntry, SearchEntryOrganization, SearchEntryTheme

# Many-to-many fields whose changes change no document: who a record is shared with is read
# live, through the policy, at every search.
IGNORED_M2M = frozenset({"shared_with"})
# Control characters (the snippets' hit marks among them) are not text anyone searches for.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TITLE_MAX = 1000
URL_MAX = SearchEntry._meta.get_field("url").max_length
REBUILD_CHUNK = 500


def clean_text(text) -> str:
    return CONTROL.sub(" ", str(text or ""))


def label_of(model) -> str:
    return model._meta.label_lower


def kinds_of(model) -> list[SearchKind]:
    """The kinds whose records are instances of `model`."""
    label = label_of(model)
    return [kind for kind in extensions.search_kinds() if kind.model.lower() == label]


def watchers_of(model) -> list[SearchKind]:
    """The kinds whose documents change when a `model` record does."""
    label = label_of(model)
    return [
        kind
        for kind in extensions.search_kinds()
        if any(watched.lower() == label for watched in kind.watch)
    ]


def kind_model(kind: SearchKind) -> type[models.Model]:
    return apps.get_model(kind.model)


def _records(kind: SearchKind, pks) -> models.QuerySet:
    """The kind's records by id, hidden ones included (the index holds every record; the
    search filters by the policy when it reads)."""
    qs = kind_model(kind)._base_manager.filter(pk__in=pks)
    if kind.prepare is not None:
        qs = kind.prepare(qs)
    return qs


def _write(kind: SearchKind, pk, document: SearchDocument | None) -> None:
    if document is None:
        SearchEntry.objects.filter(kind=kind.key, object_id=pk).delete()
        return
    fields = {
        "title": clean_text(document.title)[:TITLE_MAX],
        "body": clean_text(document.body),
        "url": str(document.url)[:URL_MAX],
        "year": document.year,
    }
    entry, created = SearchEntry.objects.update_or_create(
        kind=kind.key, object_id=pk, defaults=fields
    )
    if not created:
        SearchEntryTheme.objects.filter(entry=entry).delete()
        SearchEntryOrganization.objects.filter(entry=entry).delete()
    themes = sorted(set(document.themes))
    organizations = sorted(set(document.organizations))
    if themes:
        SearchEntryTheme.objects.bulk_create(
            SearchEntryTheme(entry=entry, theme_id=theme) for theme in themes
        )
    if organizations:
        SearchEntryOrganization.objects.bulk_create(
            SearchEntryOrganization(entry=entry, organization_id=org) for org in organizations
        )


def reindex_records(kind: SearchKind, pks: Iterable) -> None:
    """Index again the kind's records with these ids; ids of records gone are removed."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return
    with transaction.atomic():
        found = set()
        for record in _records(kind, pks):
            found.add(record.pk)
            _write(kind, record.pk, kind.document(record))
        if pks - found:
            SearchEntry.objects.filter(kind=kind.key, object_id__in=pks - found).delete()


def _pks(records) -> list:
    return [getattr(record, "pk", record) for record in records or ()]


def _dependents(kind: SearchKind, instance) -> list:
    try:
        return _pks(kind.reindex_for(instance))
    except ObjectDoesNotExist:
        # What it belonged to is being deleted too; its own delete removes its entry.
        return []


def reindex(obj) -> None:
    """Index `obj` again, and the records of other kinds whose documents show it."""
    for kind in kinds_of(type(obj)):
        reindex_records(kind, [obj.pk])
    for kind in watchers_of(type(obj)):
        reindex_records(kind, _dependents(kind, obj))


def remove(obj) -> None:
    """Take a deleted `obj` out of the index, and index again the records that showed it."""
    for kind in kinds_of(type(obj)):
        SearchEntry.objects.filter(kind=kind.key, object_id=obj.pk).delete()
    for kind in watchers_of(type(obj)):
        reindex_records(kind, _dependents(kind, obj))


def rebuild(*, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Make the index again from the records, in one transaction: {kind: entries}."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        wanted = [k for k in extensions.search_kinds() if kinds is None or k.key in kinds]
        if kinds is None:
            SearchEntryTheme.objects.all().delete()
            SearchEntryOrganization.objects.all().delete()
            SearchEntry.objects.all().delete()
        for kind in wanted:
            if kinds is not None:
                SearchEntry.objects.filter(kind=kind.key).delete()
            counts[kind.key] = _build(kind)
    return counts


def _build(kind: SearchKind) -> int:
    qs = kind_model(kind)._base_manager.order_by("pk")
    if kind.prepare is not None:
        qs = kind.prepare(qs)
    count = 0
    entries, themes, organizations = [], [], []

    def flush():
        created = SearchEntry.objects.bulk_create(entries)
        by_record = {entry.object_id: entry for entry in created}
        SearchEntryTheme.objects.bulk_create(
            SearchEntryTheme(entry=by_record[pk], theme_id=t) for pk, t in themes
        )
        SearchEntryOrganization.objects.bulk_create(
            SearchEntryOrganization(entry=by_record[pk], organization_id=o)
            for pk, o in organizations
        )
        entries.clear()
        themes.clear()
        organizations.clear()

    for record in qs.iterator(chunk_size=REBUILD_CHUNK):
        document = kind.document(record)
        if document is None:
            continue
        entries.append(
            SearchEntry(
                kind=kind.key,
                object_id=record.pk,
                title=clean_text(document.title)[:TITLE_MAX],
                body=clean_text(document.body),
                url=str(document.url)[:URL_MAX],
                year=document.year,
            )
        )
        themes += [(record.pk, t) for t in sorted(set(document.themes))]
        organizations += [(record.pk, o) for o in sorted(set(document.organizations))]
        count += 1
        if len(entries) >= REBUILD_CHUNK:
            flush()
    if entries:
        flush()
    return count


# ---------------------------------------------------------------- signals


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the index comes with the data, or `accord reindex` makes it
        return
    reindex(instance)


def _deleted(sender, instance, **kwargs):
    remove(instance)


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        reindex(instance)
        return
    # theme.meetings.add(...): the records on the other side changed.
    for pk in pk_set or ():
        for kind in kinds_of(model):
            reindex_records(kind, [pk])
        if watchers_of(model):
            found = model._base_manager.filter(pk=pk).first()
            if found is not None:
                for kind in watchers_of(model):
                    reindex_records(kind, _dependents(kind, found))


def _connect_model(model: type[models.Model]) -> None:
    uid = f"accord.search.{label_of(model)}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid + ".save")
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid + ".delete")
    for field in model._meta.many_to_many:
        if field.name in IGNORED_M2M:
            continue
        through = field.remote_field.through
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"{uid}.{field.name}.links"
        )


def connect_kind(kind: SearchKind) -> None:
    """Connect the kind's model and the models it watches (several times is once)."""
    for label in (kind.model, *kind.watch):
        _connect_model(apps.get_model(label))


def fill_missing_kinds(sender=None, using=None, **kwargs) -> None:
    """post_migrate: index the kinds that have records but no entry yet (a database made
    before the search, or a kind an app added since), so that `migrate` leaves a whole index."""
    tables = set(connections[using or DEFAULT_DB_ALIAS].introspection.table_names())
    if SearchEntry._meta.db_table not in tables:  # migrated back before the search
        return
    missing = [
        kind.key
        for kind in extensions.search_kinds()
        if kind_model(kind)._meta.db_table in tables
        and not SearchEntry.objects.filter(kind=kind.key).exists()
        and kind_model(kind)._base_manager.exists()
    ]
    if missing:
        rebuild(kinds=missing)
