"""REST endpoints of practices, requests and commitments: parse → selector or service → schema."""

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from accord.core import policy
from accord.core.api import invalid, require_edit, require_view
from accord.core.apinput import BIGINT_MAX, Day, Paged, nulls_as_empty, ref
from accord.meetings.api.endpoints import (
    organization_ref,
    organizations_ref,
    person_ref,
    theme_ref,
    visible_ref,
)
from accord.meetings.models import Action, Meeting
from accord.registry.models import FrameworkDocument
from accord.taxonomy.choices import Phase

from .. import selectors, services
from ..choices import PracticeKind, RequestKind, RequestStatus
from ..models import Commitment, Practice, Request
from .schemas import (
    PARTNER_FIELDS,
    CommitmentDetailOut,
    CommitmentIn,
    CommitmentOut,
    CommitmentPatch,
    PracticeIn,
    PracticeOut,
    PracticePatch,
    PracticeShareIn,
    PracticeShareOut,
    RequestAnswerIn,
    RequestIn,
    RequestOut,
    RequestPatch,
    Version,
)

router = Router()
THEME_HELP = "Theme key or id (and those under it)"


def themes_of(user, data: dict) -> None:
    if data.get("themes") is not None:
        data["themes"] = [theme_ref(user, value, "themes") for value in data["themes"]]


def ids_of(user, data: dict, name: str, qs, label: str) -> None:
    if data.get(name) is not None:
        data[name] = [visible_ref(qs, pk, name, label) for pk in dict.fromkeys(data[name])]


def optional_org(user, data: dict, name: str) -> None:
    if data.get(name):
        data[name] = organization_ref(user, data[name], name)
    elif name in data:
        data[name] = None


def not_null(data: dict, *names: str) -> None:
    for name in names:
        if name in data and data[name] is None:
            raise invalid(name, "May not be null.")


# ---------------------------------------------------------------- practices


class PracticeFilters(Schema):
    kind: PracticeKind | None = None
    theme: str | None = Field(None, max_length=60, description=THEME_HELP)
    phase: Phase | None = None
    organization: str | None = ref(None, description="Source or recipient: acronym or id")
    sample: bool | None = Field(None, description="true: only samples; false: no samples")


@router.get("/practices", response=list[PracticeOut], tags=["practices"])
@paginate(Paged)
def practice_list(request, filters: Query[PracticeFilters]):
    require_view(request)
    user = request.user
    return selectors.filter_practices(
        selectors.practice_list(user),
        kind=filters.kind,
        theme=theme_ref(user, filters.theme, "theme", "query") if filters.theme else None,
        phase=filters.phase,
        organization=organization_ref(user, filters.organization, "organization", "query")
        if filters.organization
        else None,
        sample=filters.sample,
    )


def practice_get(request, practice_id) -> Practice:
    return selectors.practice_get(request.user, practice_id)


def practice_fields(user, data: dict) -> dict:
    themes_of(user, data)
    optional_org(user, data, "source_organization")
    for name in ("recipient_organizations", "shared_with"):
        if data.get(name) is not None:
            data[name] = organizations_ref(user, data[name], name)
    return data


@router.get("/practices/{practice_id}", response=PracticeOut, tags=["practices"])
def practice_detail(request, practice_id: int):
    require_view(request)
    return practice_get(request, practice_id)


@router.post("/practices", response={201: PracticeOut}, tags=["practices"])
def practice_create(request, payload: PracticeIn):
    require_edit(request)
    created = services.practice_create(
        actor=request.user, **practice_fields(request.user, payload.dict())
    )
    return Status(201, practice_get(request, created.pk))


@router.patch("/practices/{practice_id}", response=PracticeOut, tags=["practices"])
def practice_update(request, practice_id: int, payload: PracticePatch):
    require_edit(request)
    practice = practice_get(request, practice_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    not_null(data, "title")
    services.practice_update(
        actor=request.user,
        practice=practice,
        expected_version=payload.version,
        **practice_fields(request.user, nulls_as_empty(Practice, data)),
    )
    return practice_get(request, practice_id)


@router.delete("/practices/{practice_id}", response={204: None}, tags=["practices"])
def practice_delete(request, practice_id: int, params: Query[Version]):
    require_edit(request)
    services.practice_delete(
        actor=request.user,
        practice=practice_get(request, practice_id),
        expected_version=params.version,
    )
    return Status(204, None)


@router.get("/practices/{practice_id}/shares", response=list[PracticeShareOut], tags=["practices"])
@paginate(Paged)
def practice_share_list(request, practice_id: int):
    """With whom the practice was shared, and when (a partner: their own organization)."""
    require_view(request)
    return selectors.practice_shares(request.user, practice_get(request, practice_id))


@router.post(
    "/practices/{practice_id}/shares", response={201: PracticeShareOut}, tags=["practices"]
)
def practice_share(request, practice_id: int, payload: PracticeShareIn):
    """Log that the practice was shared with an organization; an internal practice becomes
    visible to that organization's focal points."""
    require_edit(request)
    user = request.user
    share = services.practice_share(
        actor=user,
        practice=practice_get(request, practice_id),
        organization=organization_ref(user, payload.organization, "organization"),
        shared_on=payload.shared_on,
        note=payload.note,
    )
    return Status(201, share)


# ---------------------------------------------------------------- requests


class RequestFilters(Schema):
    kind: RequestKind | None = None
    status: RequestStatus | None = None
    organization: str | None = ref(None, description="Requesting organization: acronym or id")
    theme: str | None = Field(None, max_length=60, description=THEME_HELP)
    phase: Phase | None = None
    sample: bool | None = None


@router.get("/requests", response=list[RequestOut], tags=["requests"])
@paginate(Paged)
def request_list(request, filters: Query[RequestFilters]):
    """Requests you may see; a partner's focal point sees their own organization's only."""
    require_view(request)
    user = request.user
    return selectors.filter_requests(
        selectors.request_list(user),
        kind=filters.kind,
        status=filters.status,
        organization=organization_ref(user, filters.organization, "organization", "query")
        if filters.organization
        else None,
        theme=theme_ref(user, filters.theme, "theme", "query") if filters.theme else None,
        phase=filters.phase,
        sample=filters.sample,
    )


def request_get(request, request_id) -> Request:
    return selectors.request_get(request.user, request_id)


def request_fields(user, data: dict) -> dict:
    themes_of(user, data)
    if "organization" in data:
        if not data["organization"]:
            raise invalid("organization", "Name the requesting organization.")
        data["organization"] = organization_ref(user, data["organization"], "organization")
    if data.get("person") is not None:
        data["person"] = person_ref(user, data["person"], "person")
    if data.get("shared_with") is not None:
        data["shared_with"] = organizations_ref(user, data["shared_with"], "shared_with")
    ids_of(user, data, "shared_practices", Practice.objects.visible_to(user), "practice")
    ids_of(user, data, "shared_documents", FrameworkDocument.objects.visible_to(user), "document")
    ids_of(user, data, "meetings", Meeting.objects.visible_to(user), "meeting")
    ids_of(user, data, "actions", Action.objects.visible_to(user), "action")
    return data


@router.post("/requests", response={201: RequestOut}, tags=["requests"])
def request_create(request, payload: RequestIn):
    """Record a request (editors), or submit one for your own organization (a partner's
    focal point: kind, subject, description, due, person, themes and phases)."""
    user = request.user
    if policy.partner_organization_id(user) is not None:
        sent = payload.dict(exclude_unset=True)
        office_only = sorted(set(sent) - PARTNER_FIELDS)
        if office_only:
            raise invalid(office_only[0], "The office sets this; leave it out.")
        data = request_fields(user, {k: v for k, v in sent.items() if k != "organization"})
        organization = (
            organization_ref(user, payload.organization, "organization")
            if payload.organization
            else None
        )
        created = services.request_submit(actor=user, organization=organization, **data)
        return Status(201, request_get(request, created.pk))
    require_edit(request)
    data = payload.dict()
    if not data["organization"]:
        raise invalid("organization", "Name the requesting organization.")
    if data["received"] is None:
        data["received"] = timezone.localdate()
    created = services.request_create(actor=user, **request_fields(user, data))
    return Status(201, request_get(request, created.pk))


@router.get("/requests/{request_id}", response=RequestOut, tags=["requests"])
def request_detail(request, request_id: int):
    require_view(request)
    return request_get(request, request_id)


@router.patch("/requests/{request_id}", response=RequestOut, tags=["requests"])
def request_update(request, request_id: int, payload: RequestPatch):
    require_edit(request)
    found = request_get(request, request_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    not_null(data, "subject", "received")
    services.request_update(
        actor=request.user,
        request=found,
        expected_version=payload.version,
        **request_fields(request.user, nulls_as_empty(Request, data)),
    )
    return request_get(request, request_id)


@router.post("/requests/{request_id}/answer", response=RequestOut, tags=["requests"])
def request_answer(request, request_id: int, payload: RequestAnswerIn):
    """Answer a request; each practice shared is logged as shared with the organization."""
    require_edit(request)
    user = request.user
    found = request_get(request, request_id)
    data = request_fields(user, payload.dict())
    services.request_answer(
        actor=user,
        request=found,
        expected_version=payload.version,
        answer=data["answer"],
        answered_on=data["answered_on"],
        shared_practices=data["shared_practices"],
        shared_documents=data["shared_documents"],
    )
    return request_get(request, request_id)


@router.delete("/requests/{request_id}", response={204: None}, tags=["requests"])
def request_delete(request, request_id: int, params: Query[Version]):
    require_edit(request)
    services.request_delete(
        actor=request.user,
        request=request_get(request, request_id),
        expected_version=params.version,
    )
    return Status(204, None)


# ---------------------------------------------------------------- commitments


class CommitmentFilters(Schema):
    document: int | None = Field(None, ge=1, le=BIGINT_MAX, description="Document id")
    organization: str | None = ref(None, description="An organization it names")
    theme: str | None = Field(None, max_length=60, description=THEME_HELP)
    phase: Phase | None = None
    stale_on: Day | None = Field(
        None, description="Only those with no activity you may see in the year before this day"
    )


@router.get("/commitments", response=list[CommitmentOut], tags=["commitments"])
@paginate(Paged)
def commitment_list(request, filters: Query[CommitmentFilters]):
    require_view(request)
    user = request.user
    qs = (
        selectors.stale_commitments(user, filters.stale_on)
        if filters.stale_on
        else selectors.commitment_list(user)
    )
    return selectors.filter_commitments(
        qs,
        document=document_ref(user, filters.document, "document", "query")
        if filters.document
        else None,
        theme=theme_ref(user, filters.theme, "theme", "query") if filters.theme else None,
        phase=filters.phase,
        organization=organization_ref(user, filters.organization, "organization", "query")
        if filters.organization
        else None,
    )


def document_ref(user, pk, field, where="body"):
    return visible_ref(FrameworkDocument.objects.visible_to(user), pk, field, "document", where)


def commitment_get(request, commitment_id) -> Commitment:
    return selectors.commitment_get(request.user, commitment_id)


def commitment_detail_of(request, commitment: Commitment) -> Commitment:
    """The commitment with its activities, staleness and engagements, as the user sees them."""
    user = request.user
    activities = selectors.commitment_activities(user, commitment)
    commitment.activities = [
        {"kind": a.kind, "id": a.id, "title": a.title, "date": a.date} for a in activities
    ]
    commitment.last_activity = max((a.date for a in activities if a.date), default=None)
    today = timezone.localdate()
    commitment.stale = selectors.stale_commitments(user, today).filter(pk=commitment.pk).exists()
    commitment.engagements = selectors.commitment_engagements(user, commitment)
    return commitment


def commitment_fields(user, data: dict) -> dict:
    themes_of(user, data)
    if data.get("organizations") is not None:
        data["organizations"] = organizations_ref(user, data["organizations"], "organizations")
    ids_of(user, data, "meetings", Meeting.objects.visible_to(user), "meeting")
    ids_of(user, data, "actions", Action.objects.visible_to(user), "action")
    ids_of(user, data, "practices", Practice.objects.visible_to(user), "practice")
    ids_of(user, data, "requests", Request.objects.visible_to(user), "request")
    return data


@router.get("/commitments/{commitment_id}", response=CommitmentDetailOut, tags=["commitments"])
def commitment_detail(request, commitment_id: int):
    """A commitment with what implements it over time and, per organization it names, the
    engagement since the document's date; only records you may see are shown or counted."""
    require_view(request)
    return commitment_detail_of(request, commitment_get(request, commitment_id))


@router.post("/commitments", response={201: CommitmentDetailOut}, tags=["commitments"])
def commitment_create(request, payload: CommitmentIn):
    require_edit(request)
    user = request.user
    data = payload.dict()
    data["document"] = document_ref(user, data["document"], "document")
    if data["order"] is None:
        data.pop("order")
    created = services.commitment_create(actor=user, **commitment_fields(user, data))
    return Status(201, commitment_detail_of(request, commitment_get(request, created.pk)))


@router.patch("/commitments/{commitment_id}", response=CommitmentDetailOut, tags=["commitments"])
def commitment_update(request, commitment_id: int, payload: CommitmentPatch):
    require_edit(request)
    commitment = commitment_get(request, commitment_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    not_null(data, "text", "order")
    services.commitment_update(
        actor=request.user,
        commitment=commitment,
        expected_version=payload.version,
        **commitment_fields(request.user, nulls_as_empty(Commitment, data)),
    )
    return commitment_detail_of(request, commitment_get(request, commitment_id))


@router.delete("/commitments/{commitment_id}", response={204: None}, tags=["commitments"])
def commitment_delete(request, commitment_id: int, params: Query[Version]):
    require_edit(request)
    services.commitment_delete(
        actor=request.user,
        commitment=commitment_get(request, commitment_id),
        expected_version=params.version,
    )
    return Status(204, None)
