"""What the knowledge API reads and writes."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from accord.core.apinput import BIGINT_MAX, LIST_MAX, Day, Ref, ref
from accord.core.apinput import text as text_field
from accord.core.choices import Classification
from accord.core.forms import TEXT_MAX
from accord.meetings.api.schemas import MeetingRef, OrganizationRef, PersonRef, ThemeRef
from accord.meetings.choices import ActionStatus
from accord.taxonomy.choices import Phase

from ..choices import PracticeKind, RequestKind, RequestStatus
from ..models import Commitment, Practice, PracticeShare, Request

Id = Annotated[StrictInt, Field(ge=1, le=BIGINT_MAX)]
VERSION_HELP = "The version you read; a stale one gets 409."


def phases_list():
    return Field([], max_length=len(Phase.values))


class DocumentRef(Schema):
    id: int
    key: str
    title: str
    year: int


class PracticeRef(Schema):
    id: int
    title: str
    kind: PracticeKind


class ActionRef(Schema):
    id: int
    title: str
    due: datetime.date | None
    status: ActionStatus


# ---------------------------------------------------------------- practices


class PracticeOut(Schema):
    id: int
    kind: PracticeKind
    title: str
    summary: str
    body: str = Field(..., description="Markdown")
    body_html: str = Field(..., description="The body rendered, sanitised")
    themes: list[ThemeRef]
    phases: list[Phase]
    source_organization: OrganizationRef | None
    recipient_organizations: list[OrganizationRef]
    region: str
    date: datetime.date | None
    is_sample: bool = Field(..., description="Illustrative data of the demo workspace")
    classification: Classification
    created: datetime.datetime
    updated: datetime.datetime
    version: int

    @staticmethod
    def resolve_body_html(obj):
        return str(obj.body_html())

    @staticmethod
    def resolve_themes(obj):
        return list(obj.themes.all())

    @staticmethod
    def resolve_recipient_organizations(obj):
        return list(obj.recipient_organizations.all())


class PracticeIn(Schema):
    kind: PracticeKind
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = text_field(Practice, "summary")
    body: str = text_field(Practice, "body")
    themes: list[Ref] = Field([], max_length=LIST_MAX, description="Theme keys or ids")
    phases: list[Phase] = phases_list()
    source_organization: str | None = ref(None, description="Acronym or id")
    recipient_organizations: list[Ref] = Field([], max_length=LIST_MAX)
    region: str = text_field(Practice, "region")
    date: Day | None = None
    is_sample: StrictBool = False
    classification: Classification = Classification.INTERNAL
    shared_with: list[Ref] = Field([], max_length=LIST_MAX)


class PracticePatch(Schema):
    """Only the fields you send change. Null empties a text or a list."""

    version: StrictInt = Field(..., description=VERSION_HELP)
    kind: PracticeKind | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    summary: str | None = text_field(Practice, "summary", None)
    body: str | None = text_field(Practice, "body", None)
    themes: list[Ref] | None = Field(None, max_length=LIST_MAX)
    phases: list[Phase] | None = Field(None, max_length=len(Phase.values))
    source_organization: str | None = ref(None, description="Acronym or id; empty: none")
    recipient_organizations: list[Ref] | None = Field(None, max_length=LIST_MAX)
    region: str | None = text_field(Practice, "region", None)
    date: Day | None = None
    is_sample: StrictBool | None = None
    classification: Classification | None = None
    shared_with: list[Ref] | None = Field(None, max_length=LIST_MAX)


class PracticeShareOut(Schema):
    id: int
    organization: OrganizationRef
    shared_on: datetime.date
    note: str
    shared_by: str | None = Field(..., description="User name")

    @staticmethod
    def resolve_shared_by(obj):
        return obj.shared_by.get_username() if obj.shared_by_id else None


class PracticeShareIn(Schema):
    organization: str = ref(..., description="Acronym or id")
    shared_on: Day | None = Field(None, description="Today if left out")
    note: str = text_field(PracticeShare, "note")


# ---------------------------------------------------------------- requests


class RequestOut(Schema):
    id: int
    kind: RequestKind
    organization: OrganizationRef
    person: PersonRef | None = Field(None, description="A person you may see")
    subject: str
    description: str
    themes: list[ThemeRef]
    phases: list[Phase]
    received: datetime.date
    due: datetime.date | None
    status: RequestStatus
    answer: str = Field(..., description="Markdown")
    answer_html: str
    answered_on: datetime.date | None
    shared_practices: list[PracticeRef] = Field(..., description="Practices you may see")
    shared_documents: list[DocumentRef] = Field(..., description="Documents you may see")
    meetings: list[MeetingRef] = Field(..., description="Meetings you may see")
    actions: list[ActionRef] = Field(..., description="Actions you may see")
    is_sample: bool
    classification: Classification
    created: datetime.datetime
    updated: datetime.datetime
    version: int

    @staticmethod
    def resolve_answer_html(obj):
        return str(obj.answer_html())

    @staticmethod
    def resolve_themes(obj):
        return list(obj.themes.all())

    @staticmethod
    def resolve_shared_practices(obj):
        return list(obj.shared_practices.all())

    @staticmethod
    def resolve_shared_documents(obj):
        return list(obj.shared_documents.all())

    @staticmethod
    def resolve_meetings(obj):
        return list(obj.meetings.all())

    @staticmethod
    def resolve_actions(obj):
        return list(obj.actions.all())


class RequestIn(Schema):
    """A partner's focal point sends kind, subject, description, due, person, themes and
    phases only: the organization is theirs, the rest the office's."""

    kind: RequestKind
    subject: str = Field(..., min_length=1, max_length=300)
    description: str = text_field(Request, "description")
    organization: str | None = ref(None, description="Acronym or id (a partner: their own)")
    person: Id | None = Field(None, description="Id of a person of that organization")
    themes: list[Ref] = Field([], max_length=LIST_MAX)
    phases: list[Phase] = phases_list()
    received: Day | None = Field(None, description="Today if left out")
    due: Day | None = None
    status: RequestStatus = RequestStatus.RECEIVED
    answer: str = text_field(Request, "answer")
    answered_on: Day | None = None
    shared_practices: list[Id] = Field([], max_length=LIST_MAX)
    shared_documents: list[Id] = Field([], max_length=LIST_MAX)
    meetings: list[Id] = Field([], max_length=LIST_MAX)
    actions: list[Id] = Field([], max_length=LIST_MAX)
    is_sample: StrictBool = False
    classification: Classification = Classification.INTERNAL
    shared_with: list[Ref] = Field([], max_length=LIST_MAX)


class RequestAnswerIn(Schema):
    version: StrictInt = Field(..., description=VERSION_HELP)
    answer: str = Field(..., min_length=1, max_length=TEXT_MAX, description="Markdown")
    answered_on: Day | None = Field(None, description="Today if left out")
    shared_practices: list[Id] = Field([], max_length=LIST_MAX)
    shared_documents: list[Id] = Field([], max_length=LIST_MAX)


# What a partner's focal point may send when submitting a request.
PARTNER_FIELDS = frozenset(
    {"kind", "subject", "description", "organization", "person", "themes", "phases", "due"}
)


class RequestPatch(Schema):
    version: StrictInt = Field(..., description=VERSION_HELP)
    kind: RequestKind | None = None
    subject: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = text_field(Request, "description", None)
    organization: str | None = ref(None)
    person: Id | None = None
    themes: list[Ref] | None = Field(None, max_length=LIST_MAX)
    phases: list[Phase] | None = Field(None, max_length=len(Phase.values))
    received: Day | None = None
    due: Day | None = None
    status: RequestStatus | None = None
    answer: str | None = text_field(Request, "answer", None)
    answered_on: Day | None = None
    shared_practices: list[Id] | None = Field(None, max_length=LIST_MAX)
    shared_documents: list[Id] | None = Field(None, max_length=LIST_MAX)
    meetings: list[Id] | None = Field(None, max_length=LIST_MAX)
    actions: list[Id] | None = Field(None, max_length=LIST_MAX)
    is_sample: StrictBool | None = None
    classification: Classification | None = None
    shared_with: list[Ref] | None = Field(None, max_length=LIST_MAX)


# ---------------------------------------------------------------- commitments


class CommitmentOut(Schema):
    id: int
    document: DocumentRef
    reference: str
    text: str
    source: str
    themes: list[ThemeRef]
    phases: list[Phase]
    organizations: list[OrganizationRef] = Field(..., description="Organizations it names")
    order: int
    version: int

    @staticmethod
    def resolve_themes(obj):
        return list(obj.themes.all())

    @staticmethod
    def resolve_organizations(obj):
        return list(obj.organizations.all())


class ActivityOut(Schema):
    kind: str = Field(..., description="meeting, action, practice or request")
    id: int
    title: str
    date: datetime.date | None


class EngagementOut(Schema):
    organization: OrganizationRef
    since: datetime.date
    meetings: int
    actions: int
    practices_shared: int
    requests: int


class CommitmentDetailOut(CommitmentOut):
    activities: list[ActivityOut] = Field(..., description="Latest first; records you may see")
    last_activity: datetime.date | None
    stale: bool = Field(..., description="No activity you may see in the last 12 months")
    engagements: list[EngagementOut] = Field(
        ..., description="Per organization named: engagement since the document's date"
    )


class CommitmentIn(Schema):
    document: Id = Field(..., description="Id of the framework document")
    reference: str = text_field(Commitment, "reference")
    text: str = Field(..., min_length=1, max_length=TEXT_MAX)
    source: str = text_field(Commitment, "source")
    themes: list[Ref] = Field([], max_length=LIST_MAX)
    phases: list[Phase] = phases_list()
    organizations: list[Ref] = Field([], max_length=LIST_MAX)
    order: StrictInt | None = Field(None, ge=0, le=1_000_000, description="The end if left out")
    meetings: list[Id] = Field([], max_length=LIST_MAX)
    actions: list[Id] = Field([], max_length=LIST_MAX)
    practices: list[Id] = Field([], max_length=LIST_MAX)
    requests: list[Id] = Field([], max_length=LIST_MAX)


class CommitmentPatch(Schema):
    version: StrictInt = Field(..., description=VERSION_HELP)
    reference: str | None = text_field(Commitment, "reference", None)
    text: str | None = Field(None, min_length=1, max_length=TEXT_MAX)
    source: str | None = text_field(Commitment, "source", None)
    themes: list[Ref] | None = Field(None, max_length=LIST_MAX)
    phases: list[Phase] | None = Field(None, max_length=len(Phase.values))
    organizations: list[Ref] | None = Field(None, max_length=LIST_MAX)
    order: StrictInt | None = Field(None, ge=0, le=1_000_000)
    meetings: list[Id] | None = Field(None, max_length=LIST_MAX)
    actions: list[Id] | None = Field(None, max_length=LIST_MAX)
    practices: list[Id] | None = Field(None, max_length=LIST_MAX)
    requests: list[Id] | None = Field(None, max_length=LIST_MAX)


class Version(Schema):
    version: int | None = Field(None, description="Refuse the delete if the record changed.")
