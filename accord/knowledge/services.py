"""The one write path for practices, their share log, requests and commitments.

UI, API, CLI, the demo loader and tests call these: each checks the actor's role, validates,
checks the version, writes in one transaction and leaves a history entry for the actor. A
partner's focal point writes through one of them only: request_submit().
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.core import policy
from accord.core import services as core
from accord.core.choices import Classification, Role
from accord.meetings.models import Action, Meeting

from .choices import RequestStatus
from .models import Commitment, Practice, PracticeShare, Request

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------- practices


@transaction.atomic
def practice_create(
    *, actor, themes=(), recipient_organizations=(), shared_with=(), **fields
) -> Practice:
    return core.create(
        Practice(**fields),
        actor=actor,
        m2m={
            "themes": themes,
            "recipient_organizations": recipient_organizations,
            "shared_with": shared_with,
        },
    )


@transaction.atomic
def practice_update(
    *,
    actor,
    practice: Practice,
    expected_version: int | None,
    themes=None,
    recipient_organizations=None,
    shared_with=None,
    reason: str = "",
    **fields,
) -> Practice:
    return core.update(
        practice,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m={
            "themes": themes,
            "recipient_organizations": recipient_organizations,
            "shared_with": shared_with,
        },
        reason=reason,
    )


def practice_delete(*, actor, practice: Practice, expected_version=None):
    """Delete a practice with its share log (brought back if the deletion is undone)."""
    return core.delete(practice, actor=actor, expected_version=expected_version)


@transaction.atomic
def practice_share(
    *,
    actor,
    practice: Practice,
    organization,
    shared_on: datetime.date | None = None,
    note: str = "",
) -> PracticeShare:
    """Log that the practice was shared with `organization` and let its focal points see it.

    An internal practice is shared with the organization (its `shared_with`), so that the
    partner's focal points find it; a restricted one is refused: make it internal first.
    """
    core.require_editor(actor)
    current = core.lock_for_update(Practice, practice.pk, None)
    if current.classification == Classification.RESTRICTED:
        raise ValidationError(
            {
                "practice": _(
                    "A restricted practice cannot be shared: make it internal or public first."
                )
            }
        )
    share = core.create(
        PracticeShare(
            practice=current,
            organization=organization,
            shared_on=shared_on or timezone.localdate(),
            note=note,
            shared_by=actor if actor is not None and actor.is_authenticated else None,
        ),
        actor=actor,
    )
    if current.classification == Classification.INTERNAL:
        shared = set(current.shared_with.values_list("pk", flat=True))
        if organization.pk not in shared:
            core.update(
                current,
                actor=actor,
                fields={},
                expected_version=None,
                m2m={"shared_with": [*shared, organization.pk]},
                reason=_("Shared with %(organization)s") % {"organization": organization},
            )
    return share


def practice_share_delete(*, actor, share: PracticeShare, expected_version=None):
    """Remove an entry of the share log (the practice stays shared with the organization)."""
    return core.delete(share, actor=actor, expected_version=expected_version)


# ---------------------------------------------------------------- requests

REQUEST_LINKS = (
    "themes",
    "shared_practices",
    "shared_documents",
    "meetings",
    "actions",
    "shared_with",
)


def _settle_answer(fields: dict, current: Request | None) -> None:
    """Answered sets the answer date (today unless given); any other status clears it."""
    status = fields.get("status", current.status if current else RequestStatus.RECEIVED)
    if status == RequestStatus.ANSWERED:
        if fields.get("answered_on") is None:
            kept = current.answered_on if current is not None else None
            fields["answered_on"] = kept or timezone.localdate()
    elif fields.get("answered_on") is None:
        fields["answered_on"] = None


def _links(values: dict) -> dict:
    return {name: values.get(name) for name in REQUEST_LINKS}


@transaction.atomic
def request_create(*, actor, notify: bool = True, **fields) -> Request:
    """Record a request (the office's entry of one received by letter or email)."""
    links = {name: fields.pop(name, ()) for name in REQUEST_LINKS}
    fields.setdefault("received", timezone.localdate())
    _settle_answer(fields, None)
    created = core.create(Request(**fields), actor=actor, m2m=links)
    if notify:
        notify_new_request(created, actor=actor)
    return created


@transaction.atomic
def request_submit(
    *,
    actor,
    kind: str,
    subject: str,
    description: str = "",
    due: datetime.date | None = None,
    person=None,
    themes=(),
    phases=None,
    organization=None,
) -> Request:
    """A partner's focal point asks to learn: for their own organization only.

    The request is internal and shared with that organization (so that its focal points
    follow it), its status is "received", and the office is told after the commit.
    """
    partner = policy.partner_organization_id(actor)
    if partner is None:
        raise PermissionDenied(_("Only a partner organization's focal point submits a request."))
    if organization is not None and organization.pk != partner:
        raise ValidationError(
            {"organization": _("You may submit requests for your own organization only.")}
        )
    organization = actor.accord_profile.organization
    if person is not None and person.organization_id != partner:
        raise ValidationError({"person": _("The person is not of your organization.")})
    request = Request(
        kind=kind,
        organization=organization,
        person=person,
        subject=subject,
        description=description,
        due=due,
        phases=list(phases or []),
        received=timezone.localdate(),
        status=RequestStatus.RECEIVED,
        classification=Classification.INTERNAL,
        submitted_by=actor,
    )
    # Not core.create(): that is for editors. The same steps, for this one kind of write.
    request.full_clean()
    core.attribute(request, actor, _("Submitted by the partner"))
    with core.constraint_guard(request):
        core.save_with_history(
            request, m2m={"themes": themes, "shared_with": [organization]}, history_type="+"
        )
    notify_new_request(request, actor=actor)
    return request


@transaction.atomic
def request_update(
    *,
    actor,
    request: Request,
    expected_version: int | None,
    reason: str = "",
    **fields,
) -> Request:
    links = {name: fields.pop(name, None) for name in REQUEST_LINKS}
    _settle_answer(fields, request)
    return core.update(
        request,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m=links,
        reason=reason,
    )


@transaction.atomic
def request_answer(
    *,
    actor,
    request: Request,
    expected_version: int | None,
    answer: str,
    answered_on: datetime.date | None = None,
    shared_practices=None,
    shared_documents=None,
) -> Request:
    """Answer a request: its answer, the day, and what was shared with it.

    Each practice shared is also logged as shared with the requesting organization.
    """
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    updated = request_update(
        actor=actor,
        request=request,
        expected_version=expected_version,
        answer=answer,
        status=RequestStatus.ANSWERED,
        answered_on=answered_on or timezone.localdate(),
        shared_practices=shared_practices,
        shared_documents=shared_documents,
        reason=_("Answered"),
    )
    already = set(
        PracticeShare.objects.filter(organization=updated.organization).values_list(
            "practice_id", flat=True
        )
    )
    for practice in shared_practices or ():
        if practice.pk not in already:
            practice_share(
                actor=actor,
                practice=practice,
                organization=updated.organization,
                shared_on=updated.answered_on,
                note=_("In answer to: %(subject)s") % {"subject": updated.subject},
            )
    return updated


def request_delete(*, actor, request: Request, expected_version=None):
    return core.delete(request, actor=actor, expected_version=expected_version)


def request_notify_recipients(*, exclude=None) -> list[str]:
    """ACCORD_REQUEST_NOTIFY, or the email addresses of the administrators and editors."""
    configured = getattr(settings, "ACCORD_REQUEST_NOTIFY", None)
    if configured:
        addresses = list(configured)
    else:
        staff = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True) | Q(accord_profile__role__in=[Role.ADMINISTRATOR, Role.EDITOR])
            )
            .exclude(email="")
            .order_by("email")
        )
        addresses = list(staff.values_list("email", flat=True).distinct())
    own = getattr(exclude, "email", "") if exclude is not None else ""
    return [a for a in dict.fromkeys(addresses) if a and a != own]


def notify_new_request(request: Request, *, actor=None) -> None:
    """Tell the office of a new request by email, once the transaction has committed."""
    recipients = request_notify_recipients(exclude=actor)
    if not recipients:
        return
    site = getattr(settings, "ACCORD_SITE_URL", "")
    subject = _("New request from %(organization)s: %(subject)s") % {
        "organization": request.organization.acronym,
        "subject": request.subject,
    }
    body = "\n".join(
        [
            _("%(organization)s asks for: %(kind)s.")
            % {
                "organization": request.organization.name,
                "kind": request.get_kind_display(),
            },
            "",
            request.subject,
            "",
            request.description,
            "",
            _("Received on %(day)s.") % {"day": request.received.isoformat()},
            f"{site}{request.get_absolute_url()}" if site else "",
        ]
    ).strip()
    # One line per header: a subject never carries a line break into the mail.
    subject = " ".join(subject.split())[:200]

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # noqa: BLE001 - the request is stored; a mail server down is logged
            logger.exception("Could not tell the office of request %s", request.pk)

    transaction.on_commit(send)


# ---------------------------------------------------------------- commitments

COMMITMENT_LINKS = ("themes", "organizations", "meetings", "actions", "practices", "requests")
# What a commitment links to, by the name of the link field.
LINKABLE = {
    Meeting: "meetings",
    Action: "actions",
    Practice: "practices",
    Request: "requests",
}


@transaction.atomic
def commitment_create(*, actor, **fields) -> Commitment:
    links = {name: fields.pop(name, ()) for name in COMMITMENT_LINKS}
    if "order" not in fields and fields.get("document") is not None:
        last = Commitment.objects.filter(document=fields["document"]).aggregate(
            top=models.Max("order")
        )["top"]
        fields["order"] = (last or 0) + 1
    return core.create(Commitment(**fields), actor=actor, m2m=links)


@transaction.atomic
def commitment_update(
    *, actor, commitment: Commitment, expected_version: int | None, reason: str = "", **fields
) -> Commitment:
    fields.pop("document", None)
    links = {name: fields.pop(name, None) for name in COMMITMENT_LINKS}
    return core.update(
        commitment,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        m2m=links,
        reason=reason,
    )


def commitment_delete(*, actor, commitment: Commitment, expected_version=None):
    return core.delete(commitment, actor=actor, expected_version=expected_version)


def _link_field(record) -> str:
    name = LINKABLE.get(type(record))
    if name is None:
        raise ValidationError(
            {"record": _("Only meetings, actions, practices and requests implement commitments.")}
        )
    return name


@transaction.atomic
def commitment_link(*, actor, commitment: Commitment, record) -> Commitment:
    """Record that a meeting, action, practice or request implements the commitment."""
    name = _link_field(record)
    current = set(getattr(commitment, name).values_list("pk", flat=True))
    if record.pk in current:
        return commitment
    return core.update(
        commitment,
        actor=actor,
        fields={},
        expected_version=None,
        m2m={name: [*current, record.pk]},
        reason=_("Linked %(record)s") % {"record": record},
    )


@transaction.atomic
def commitment_unlink(*, actor, commitment: Commitment, record) -> Commitment:
    name = _link_field(record)
    current = set(getattr(commitment, name).values_list("pk", flat=True))
    if record.pk not in current:
        return commitment
    return core.update(
        commitment,
        actor=actor,
        fields={},
        expected_version=None,
        m2m={name: sorted(current - {record.pk})},
        reason=_("Unlinked %(record)s") % {"record": record},
    )
