"""{% similar_practices record as similar %}: the practices most like a practice or request
that the reader may see, for knowledge/includes/similar_panel.html (accord[semantic])."""

import logging

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from .. import semantic

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag(takes_context=True)
def similar_practices(context, record, limit=5) -> dict:
    """{"available": bool, "reason": what to read when not, "items": [SimilarPractice]}."""
    available, reason = semantic.status()
    if not available or record is None:
        return {"available": False, "reason": reason, "items": []}
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user") or AnonymousUser()
    try:
        items = semantic.similar_practices(user, record, limit=limit)
    except Exception:  # noqa: BLE001 - the page shows without the panel, with the reason
        logger.exception("Similar practices of %s %s failed", type(record).__name__, record.pk)
        available, reason = semantic.status()
        if available:
            reason = _("Similar practices could not be found this time.")
        return {"available": False, "reason": reason, "items": []}
    return {"available": True, "reason": "", "items": items}
