"""The files panel of a framework document's page (accord/core/extensions.py record panels).
Practices' and requests' pages include knowledge/includes/attachments_panel.html themselves.
Registered by KnowledgeConfig.ready()."""

from __future__ import annotations

from accord.core import extensions


def document_panel(request, document) -> dict:
    return {"record": document}


def register_panels() -> None:
    extensions.register_record_panel(
        "document",
        "attachments",
        template_name="knowledge/includes/attachments_record_panel.html",
        context=document_panel,
        order=50,
    )
