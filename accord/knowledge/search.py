"""What the workspace-wide search finds of knowledge: practices, partners' requests and the
commitments of framework documents (accord/core/extensions.py, register_search_kind).
Registered by KnowledgeConfig.ready().

A hit leads to its page (/knowledge/practices/<id>/, /knowledge/requests/<id>/,
/knowledge/commitments/<id>/). A record's attachments' text is searched with it.
"""

from __future__ import annotations

import dataclasses

from django.db.models import Prefetch
from django.urls import reverse

from accord.core import extensions, textextract
from accord.core.extensions import SearchDocument
from accord.registry.models import FrameworkDocument

from .models import Commitment, Practice, Request
from .models_attachments import RecordAttachment, record_type_of

ATTACHMENT = "knowledge.RecordAttachment"
# A commitment without a reference is titled by the start of its text.
COMMITMENT_TITLE = 150


def shortened(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def attachments_prefetch() -> Prefetch:
    """A record's files, for the text of its search entry (hidden ones too: the index holds
    every record; the search applies the record's policy when it reads)."""
    return Prefetch(
        "attachments",
        queryset=RecordAttachment._base_manager.order_by("original_name", "pk").only(
            "record_type_id", "record_id", "original_name", "text"
        ),
    )


def records_of(model):
    """reindex_for of a kind whose records take files: the record of a saved or deleted one."""

    def reindex_for(attachment) -> list[int]:
        if attachment.record_type_id == record_type_of(model).pk:
            return [attachment.record_id]
        return []

    return reindex_for


def prepare_practices(qs):
    return qs.prefetch_related("themes", "recipient_organizations", attachments_prefetch())


def practice_document(practice: Practice) -> SearchDocument:
    organizations = [org.pk for org in practice.recipient_organizations.all()]
    if practice.source_organization_id is not None:
        organizations.append(practice.source_organization_id)
    return SearchDocument(
        title=practice.title,
        body=SearchDocument.join(
            practice.summary,
            practice.body,
            practice.region,
            *textextract.for_search(practice.attachments.all()),
        ),
        url=reverse("knowledge:practice_detail", args=[practice.pk]),
        year=practice.date.year if practice.date else None,
        themes=tuple(theme.pk for theme in practice.themes.all()),
        organizations=tuple(organizations),
    )


def prepare_requests(qs):
    return qs.prefetch_related("themes", attachments_prefetch())


def request_document(request: Request) -> SearchDocument:
    # Who asked (a person's name, contact details) is not what the search finds it by.
    return SearchDocument(
        title=request.subject,
        body=SearchDocument.join(
            request.description,
            request.answer,
            *textextract.for_search(request.attachments.all()),
        ),
        url=reverse("knowledge:request_detail", args=[request.pk]),
        year=request.received.year if request.received else None,
        themes=tuple(theme.pk for theme in request.themes.all()),
        organizations=(request.organization_id,),
    )


def prepare_commitments(qs):
    return qs.select_related("document").prefetch_related("themes", "organizations")


def commitment_title(commitment: Commitment) -> str:
    where = commitment.reference.strip() or shortened(commitment.text, COMMITMENT_TITLE)
    return f"{commitment.document.title}, {where}" if where else commitment.document.title


def commitment_document(commitment: Commitment) -> SearchDocument:
    return SearchDocument(
        title=commitment_title(commitment),
        body=SearchDocument.join(commitment.text),
        url=reverse("knowledge:commitment_detail", args=[commitment.pk]),
        year=commitment.document.year,
        themes=tuple(theme.pk for theme in commitment.themes.all()),
        organizations=tuple(org.pk for org in commitment.organizations.all()),
    )


def commitments_of(document) -> list[int]:
    """The commitments whose documents show a framework document (its title and year)."""
    return list(
        Commitment._base_manager.filter(document_id=document.pk).values_list("pk", flat=True)
    )


def register_search() -> None:
    extensions.register_search_kind(
        "practice",
        label=Practice._meta.verbose_name,
        model="knowledge.Practice",
        document=practice_document,
        visible=Practice.objects.visible_to,
        watch=(ATTACHMENT,),
        reindex_for=records_of(Practice),
        prepare=prepare_practices,
        order=70,
    )
    extensions.register_search_kind(
        "request",
        label=Request._meta.verbose_name,
        model="knowledge.Request",
        document=request_document,
        visible=Request.objects.visible_to,
        watch=(ATTACHMENT,),
        reindex_for=records_of(Request),
        prepare=prepare_requests,
        order=80,
    )
    extensions.register_search_kind(
        "commitment",
        label=Commitment._meta.verbose_name,
        model="knowledge.Commitment",
        document=commitment_document,
        visible=Commitment.objects.visible_to,
        watch=("registry.FrameworkDocument",),
        reindex_for=commitments_of,
        prepare=prepare_commitments,
        order=90,
    )
    documents_with_files()


def documents_with_files() -> None:
    """The framework documents' entries with the text of their files.

    The registry registers the "document" kind and knows nothing of the files knowledge
    attaches to documents (the arrows point from knowledge to the registry): its kind is
    registered again here, its document, prepare and reindex_for extended. Once only, however
    often ready() runs.
    """
    kind = next((k for k in extensions.search_kinds() if k.key == "document"), None)
    if kind is None or ATTACHMENT in kind.watch:
        return
    document, prepare, reindex_for = kind.document, kind.prepare, kind.reindex_for
    files_of = records_of(FrameworkDocument)

    def document_with_files(record) -> SearchDocument | None:
        found = document(record)
        if found is None:
            return None
        files = textextract.for_search(record.attachments.all())
        return dataclasses.replace(found, body=SearchDocument.join(found.body, *files))

    def prepare_with_files(qs):
        return (prepare(qs) if prepare is not None else qs).prefetch_related(attachments_prefetch())

    def reindex_with_files(instance):
        if isinstance(instance, RecordAttachment):
            return files_of(instance)
        return reindex_for(instance) if reindex_for is not None else []

    extensions.register_search_kind(
        kind.key,
        label=kind.label,
        model=kind.model,
        document=document_with_files,
        visible=kind.visible,
        watch=(*kind.watch, ATTACHMENT),
        reindex_for=reindex_with_files,
        order=kind.order,
        prepare=prepare_with_files,
    )
