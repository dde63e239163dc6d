"""Reads of the files of practices, requests and framework documents, through the policy: an
attachment is seen with its record."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accord.registry.models import FrameworkDocument

from . import selectors
from .models_attachments import RecordAttachment

# The kinds of record as addresses name them, and how each is found through the policy.
RECORD_KINDS = ("practices", "requests", "documents")


def record_get(user, kind: str, pk):
    """The practice, request or document `pk` the user may see; 404 otherwise."""
    if kind == "practices":
        return selectors.practice_get(user, pk)
    if kind == "requests":
        return selectors.request_get(user, pk)
    if kind == "documents":
        return selectors._one(FrameworkDocument.objects.visible_to(user), pk)
    raise Http404


def record_attachments(user, record) -> QuerySet[RecordAttachment]:
    """The record's files, by name, with who uploaded them (one query)."""
    return (
        RecordAttachment.objects.visible_to(user)
        .of(record)
        .select_related("uploaded_by")
        .defer("text")
        .order_by("original_name", "pk")
    )


def record_attachment_get(user, pk) -> RecordAttachment:
    """A file of a record the user may see; 404 otherwise (a hidden one and a missing one
    alike)."""
    return selectors._one(RecordAttachment.objects.visible_to(user).defer("text"), pk)
