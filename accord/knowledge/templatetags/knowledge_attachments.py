"""{% record_attachments record as files %}: a record's files the reader may see, for
knowledge/includes/attachments_panel.html."""

from django import template
from django.urls import reverse

from accord.core import policy
from accord.meetings import files
from accord.meetings.services import max_attachment_bytes

from .. import selectors_attachments
from ..forms_attachments import AttachmentForm

register = template.Library()
MB = 1_048_576


@register.simple_tag(takes_context=True)
def record_attachments(context, record) -> dict:
    user = context["request"].user
    editable = policy.can_edit(user)
    name = {"practice": "practice", "request": "request", "frameworkdocument": "document"}[
        record._meta.model_name
    ]
    return {
        "add_url": reverse(f"knowledge:{name}_attachment_add", args=[record.pk]),
        "files": list(selectors_attachments.record_attachments(user, record)),
        "form": AttachmentForm(auto_id="id_record_attachment_%s") if editable else None,
        "allowed": files.allowed_extensions(),
        "max_mb": round(max_attachment_bytes() / MB, 1),
    }
