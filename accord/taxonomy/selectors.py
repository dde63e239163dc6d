"""Reads of themes (open reference data: every user with a role sees them)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Theme


def theme_list(user) -> QuerySet[Theme]:
    return Theme.objects.visible_to(user).select_related("parent").order_by("order", "name")


def theme_get(user, key) -> Theme:
    """A theme by slug or numeric id; 404 when there is none (or the user has no role)."""
    key = str(key)
    qs = Theme.objects.visible_to(user)
    theme = None
    if key.isdecimal() and len(key) < 19:
        theme = qs.filter(pk=int(key)).first()
    if theme is None and "\x00" not in key:
        theme = qs.filter(slug=key).first()
    if theme is None:
        raise Http404
    return theme
