"""What the knowledge app adds to core's pages (accord/core/extensions.py): its menu entry.
Registered by KnowledgeConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.core import extensions


def register_extensions() -> None:
    # One entry after the meetings' (60, 70): the navbar stays one line in every language.
    # Its pages (practices, requests, commitments) have their own tabs.
    extensions.register_nav_entry(
        "knowledge",
        label=_("Knowledge"),
        url_name="knowledge:practice_list",
        prefix="/knowledge",
        order=80,
    )
