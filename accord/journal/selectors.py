"""Reads of journal entries, always through the visibility policy."""

from __future__ import annotations

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import QuerySet
from django.http import Http404

from accord.core import policy

from .attach import journal_models
from .models import JournalEntry


def with_records(qs: QuerySet, *, user) -> QuerySet:
    """Entries with their author and their record (one query per kind of record)."""
    return qs.select_related("author", "assigned_object_type").prefetch_related(
        GenericPrefetch(
            "assigned_object", [m.objects.visible_to(user) for m in journal_models().values()]
        )
    )


def journal_list(*, user) -> QuerySet[JournalEntry]:
    """Every entry the user may see, on records the user may see, newest first."""
    return with_records(JournalEntry.objects.visible_to(user), user=user).order_by("-date", "-pk")


def journal_of(*, user, obj) -> QuerySet[JournalEntry]:
    """The entries of one record the user may see (the caller got `obj` through the policy)."""
    return (
        JournalEntry.objects.visible_on(user, obj).select_related("author").order_by("-date", "-pk")
    )


def journal_panel(*, user, obj, limit: int = 5) -> dict:
    """The latest entries of a record and how many there are: two queries, whatever the size."""
    entries = journal_of(user=user, obj=obj)
    latest = list(entries[:limit])
    count = entries.count()
    return {"entries": latest, "count": count, "more": count > len(latest)}


def journal_entry_get(*, user, pk) -> JournalEntry:
    """One entry by id; a hidden one (or one on a hidden record) and a missing one are 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    entry = journal_list(user=user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def authors(*, user):
    """Users who wrote an entry the user may see (for the author filter)."""
    from django.contrib.auth import get_user_model

    if not policy.can_view(user):
        return get_user_model().objects.none()
    written = JournalEntry.objects.visible_to(user).values("author")
    return get_user_model().objects.filter(pk__in=written).order_by("username")
