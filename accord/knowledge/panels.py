"""What the commitments add to other apps' record pages (accord/core/extensions.py): the
commitments a meeting or an action implements, and the commitments of a framework document.
Registered by KnowledgeConfig.ready(), with the picker kinds the commitment forms search.

Each panel reads its commitments through the policy, in one query.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from accord.core import extensions, policy
from accord.core.pickers import KINDS, PickerKind, register
from accord.registry.pickers import best_first

from .models import Commitment


def commitment_label(commitment) -> str:
    """How a commitment reads in a picker: its document, year and reference (or text)."""
    where = commitment.reference or commitment.text[:80]
    return f"{commitment.document.title} ({commitment.document.year}), {where}"


def search_commitments(queryset, q):
    found = queryset.filter(
        Q(reference__icontains=q) | Q(text__icontains=q) | Q(document__title__icontains=q)
    )
    return best_first(found, Q(document__title__istartswith=q), "document__year", "order", "pk")


def commitment_rows(user):
    return Commitment.objects.visible_to(user).order_by(
        "document__year", "document__title", "order", "pk"
    )


def linked_commitments(user, **lookup) -> list[Commitment]:
    return list(
        Commitment.objects.visible_to(user)
        .filter(**lookup)
        .select_related("document")
        .order_by("document__year", "document__title", "order", "pk")
    )


def record_panel(kind: str):
    """The panel of a meeting's or an action's page: the commitments it implements.

    Left out for readers when it names none; editors get it with a form to link one.
    """
    lookup = {"meeting": "meetings", "action": "actions"}[kind]

    def context(request, record) -> dict | None:
        user = request.user
        editable = policy.can_edit(user)
        commitments = linked_commitments(user, **{lookup: record})
        if not commitments and not editable:
            return None
        form = None
        if editable:
            from .forms_commitments import RecordLinkForm

            form = RecordLinkForm(
                user=user,
                initial={"kind": kind, "record": record.pk, "next": request.get_full_path()},
                auto_id=f"id_commitment_{kind}_%s",
            )
        return {
            "kind": kind,
            "record": record,
            "commitments": commitments,
            "form": form,
            "next": request.get_full_path(),
        }

    return context


def document_panel(request, document) -> dict:
    """The panel of a framework document's page: its commitments, and an "Add" for editors."""
    commitments = linked_commitments(request.user, document=document)
    add_url = None
    if policy.can_edit(request.user):
        add_url = f"{reverse('knowledge:commitment_add')}?document={document.pk}"
    return {
        "document": document,
        "commitments": commitments,
        "add_url": add_url,
        "list_url": f"{reverse('knowledge:commitment_list')}?document={document.pk}",
    }


def register_panels() -> None:
    """The record panels of the meeting, action and document pages, and the picker kinds of
    the commitment forms."""
    from .forms_commitments import register_pickers

    register_pickers()
    if "commitments" not in KINDS:
        register(
            PickerKind(
                name="commitments",
                rows=commitment_rows,
                search=search_commitments,
                label=commitment_label,
                related=("document",),
            )
        )
    for kind in ("meeting", "action"):
        extensions.register_record_panel(
            kind,
            "commitments",
            template_name="knowledge/commitment_panel_record.html",
            context=record_panel(kind),
            order=80,
        )
    extensions.register_record_panel(
        "document",
        "commitments",
        template_name="knowledge/commitment_panel_document.html",
        context=document_panel,
        order=50,
    )
