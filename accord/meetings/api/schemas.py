"""What the meetings API reads and writes. Times go out in the meeting's (or series') own
time zone, with its offset: 10:00 Europe/Vienna in January is 2025-01-15T10:00:00+01:00."""

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from accord.core.apinput import BIGINT_MAX, LIST_MAX, DateTime, Day, Ref, TimeOfDay, ref, text
from accord.core.choices import Classification
from accord.core.forms import TEXT_MAX
from accord.taxonomy.choices import Phase

from ..choices import (
    ActionStatus,
    Attendance,
    MeetingFormat,
    MeetingLevel,
    MeetingStatus,
    OutcomeKind,
)
from ..models import MAX_DURATION_MINUTES, Action, AgendaItem, Meeting, Series

Id = Annotated[StrictInt, Field(ge=1, le=BIGINT_MAX)]
TZ_HELP = "An IANA time zone, such as Europe/Vienna"
TIME_HELP = (
    "ISO 8601. With an offset (…+01:00 or …Z) it is that instant; without one, a local time "
    "in the meeting's time zone."
)
VERSION_HELP = "The version you read; a stale one gets 409."


def local(moment: datetime.datetime | None, tz) -> datetime.datetime | None:
    return moment.astimezone(tz) if moment is not None else None


# ---------------------------------------------------------------- references


class OrganizationRef(Schema):
    id: int
    acronym: str
    name: str


class ThemeRef(Schema):
    id: int
    slug: str
    name: str = Field(..., description="In the reader's language where translated")

    @staticmethod
    def resolve_name(obj):
        return obj.display_name


class PersonRef(Schema):
    id: int
    name: str
    organization: str = Field(..., description="The person's organization (acronym)")

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.acronym


class SeriesRef(Schema):
    id: int
    title: str


class MeetingRef(Schema):
    id: int
    title: str
    start: datetime.datetime
    status: MeetingStatus

    @staticmethod
    def resolve_start(obj):
        return obj.local_start


# ---------------------------------------------------------------- meetings


class ParticipantOut(Schema):
    id: int
    person: PersonRef
    attendance: Attendance


class OutcomeOut(Schema):
    id: int
    kind: OutcomeKind
    text: str
    version: int


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    notes: str
    carry_over: bool
    outcomes: list[OutcomeOut]
    version: int

    @staticmethod
    def resolve_outcomes(obj):
        return list(obj.outcomes.all())


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    created: datetime.datetime

    @staticmethod
    def resolve_name(obj):
        return obj.original_name


class MeetingOut(Schema):
    id: int
    title: str
    series: SeriesRef | None = Field(None, description="A series you may see")
    format: MeetingFormat
    level: MeetingLevel
    start: datetime.datetime = Field(..., description="In the meeting's time zone")
    end: datetime.datetime = Field(..., description="In the meeting's time zone")
    time_zone: str = Field(..., description=TZ_HELP)
    place: str
    online_link: str
    host_organization: OrganizationRef | None
    organizations: list[OrganizationRef]
    participants: list[ParticipantOut] = Field(..., description="People you may see")
    themes: list[ThemeRef]
    phases: list[Phase]
    status: MeetingStatus
    minutes: str = Field(..., description="Markdown")
    is_sample: bool = Field(..., description="Illustrative data of the demo workspace")
    classification: Classification
    created: datetime.datetime
    updated: datetime.datetime
    version: int

    @staticmethod
    def resolve_start(obj):
        return obj.local_start

    @staticmethod
    def resolve_end(obj):
        return obj.local_end

    @staticmethod
    def resolve_organizations(obj):
        return list(obj.organizations.all())

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.all())

    @staticmethod
    def resolve_themes(obj):
        return list(obj.themes.all())


class MeetingDetailOut(MeetingOut):
    agenda_items: list[AgendaItemOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_agenda_items(obj):
        return list(obj.agenda_items.all())

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class ParticipantIn(Schema):
    person: Id = Field(..., description="Id of a person")
    attendance: Attendance = Attendance.INVITED


class MeetingIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    series: Id | None = Field(None, description="Id of a series; its defaults fill the gaps")
    format: MeetingFormat | None = Field(None, description="The series' format when left out")
    level: MeetingLevel | None = Field(None, description="The series' level, else headquarters")
    start: DateTime = Field(..., description=TIME_HELP)
    end: DateTime | None = Field(
        None, description="Left out: the start plus the series' default duration, or 2 hours"
    )
    time_zone: str | None = Field(
        None, max_length=64, description=TZ_HELP + "; the series' when left out"
    )
    place: str = text(Meeting, "place")
    online_link: str = text(Meeting, "online_link")
    host_organization: str | None = ref(None, description="Acronym or id")
    organizations: list[Ref] = Field([], max_length=LIST_MAX, description="Acronyms or ids")
    participants: list[ParticipantIn] = Field([], max_length=LIST_MAX)
    themes: list[Ref] = Field([], max_length=LIST_MAX, description="Theme keys or ids")
    phases: list[Phase] = Field([], max_length=len(Phase.values))
    status: MeetingStatus = MeetingStatus.PLANNED
    minutes: str = text(Meeting, "minutes")
    is_sample: StrictBool = False
    classification: Classification = Classification.INTERNAL
    shared_with: list[Ref] = Field([], max_length=LIST_MAX)


class MeetingPatch(Schema):
    """Only the fields you send change. Null empties a text or a list."""

    version: StrictInt = Field(..., description=VERSION_HELP)
    title: str | None = Field(None, min_length=1, max_length=300)
    series: Id | None = Field(None, description="Null: in no series")
    format: MeetingFormat | None = None
    level: MeetingLevel | None = None
    start: DateTime | None = Field(None, description=TIME_HELP)
    end: DateTime | None = Field(None, description=TIME_HELP)
    time_zone: str | None = Field(
        None, max_length=64, description=TZ_HELP + "; the instants stay, shown in the new zone"
    )
    place: str | None = text(Meeting, "place", None)
    online_link: str | None = text(Meeting, "online_link", None)
    host_organization: str | None = ref(None, description="Acronym or id; empty: none")
    organizations: list[Ref] | None = Field(None, max_length=LIST_MAX)
    participants: list[ParticipantIn] | None = Field(None, max_length=LIST_MAX)
    themes: list[Ref] | None = Field(None, max_length=LIST_MAX)
    phases: list[Phase] | None = Field(None, max_length=len(Phase.values))
    status: MeetingStatus | None = None
    minutes: str | None = text(Meeting, "minutes", None)
    is_sample: StrictBool | None = None
    classification: Classification | None = None
    shared_with: list[Ref] | None = Field(None, max_length=LIST_MAX)


class AgendaItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    notes: str = text(AgendaItem, "notes")
    carry_over: StrictBool = False
    position: StrictInt | None = Field(
        None, ge=1, le=10_000, description="Where to put it (1 is first); the end if left out"
    )


class AgendaItemPatch(Schema):
    version: StrictInt = Field(..., description=VERSION_HELP)
    title: str | None = Field(None, min_length=1, max_length=300)
    notes: str | None = text(AgendaItem, "notes", None)
    carry_over: StrictBool | None = None
    position: StrictInt | None = Field(
        None, ge=1, le=10_000, description="Move it there; the items between shift by one"
    )


class OutcomeIn(Schema):
    kind: OutcomeKind
    text: str = Field(..., min_length=1, max_length=TEXT_MAX)


class OutcomePatch(Schema):
    version: StrictInt = Field(..., description=VERSION_HELP)
    kind: OutcomeKind | None = None
    text: str | None = Field(None, min_length=1, max_length=TEXT_MAX)


# ---------------------------------------------------------------- series


class TemplateItem(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    notes: str = Field("", max_length=TEXT_MAX)
    carry_over: StrictBool = False


class SeriesOut(Schema):
    id: int
    title: str
    format: MeetingFormat
    level: MeetingLevel
    cadence: str = Field(..., description="RFC 5545 RRULE body, without DTSTART")
    cadence_days: int | None = Field(..., description="About how many days apart its meetings are")
    place: str
    online_link: str
    time_zone: str = Field(..., description=TZ_HELP)
    default_start_time: datetime.time | None = Field(..., description="Local time of day")
    default_duration_minutes: int
    host_organization: OrganizationRef | None
    organizations: list[OrganizationRef]
    themes: list[ThemeRef]
    template_agenda: list[TemplateItem]
    last_start: datetime.datetime | None = Field(
        ..., description="Start of its latest meeting you may see, in the series' time zone"
    )
    classification: Classification
    version: int

    @staticmethod
    def resolve_cadence_days(obj):
        return obj.cadence_days()

    @staticmethod
    def resolve_organizations(obj):
        return list(obj.organizations.all())

    @staticmethod
    def resolve_themes(obj):
        return list(obj.themes.all())

    @staticmethod
    def resolve_template_agenda(obj):
        return list(obj.template_items.all())

    @staticmethod
    def resolve_last_start(obj):
        from ..recurrence import zone

        return local(getattr(obj, "last_start", None), zone(obj.time_zone))


class SeriesIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    format: MeetingFormat
    level: MeetingLevel = MeetingLevel.HEADQUARTERS
    cadence: str = Field(
        ...,
        min_length=1,
        max_length=300,
        description="RFC 5545 RRULE body: FREQ=YEARLY, FREQ=MONTHLY;INTERVAL=6, "
        "FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH",
    )
    place: str = text(Series, "place")
    online_link: str = text(Series, "online_link")
    time_zone: str = Field(..., min_length=1, max_length=64, description=TZ_HELP)
    default_start_time: TimeOfDay | None = Field(None, description="HH:MM, local")
    default_duration_minutes: StrictInt = Field(120, ge=1, le=MAX_DURATION_MINUTES)
    host_organization: str | None = ref(None, description="Acronym or id")
    organizations: list[Ref] = Field([], max_length=LIST_MAX)
    themes: list[Ref] = Field([], max_length=LIST_MAX)
    template_agenda: list[TemplateItem] = Field([], max_length=100)
    classification: Classification = Classification.INTERNAL
    shared_with: list[Ref] = Field([], max_length=LIST_MAX)


class SeriesPatch(Schema):
    version: StrictInt = Field(..., description=VERSION_HELP)
    title: str | None = Field(None, min_length=1, max_length=300)
    format: MeetingFormat | None = None
    level: MeetingLevel | None = None
    cadence: str | None = Field(None, min_length=1, max_length=300)
    place: str | None = text(Series, "place", None)
    online_link: str | None = text(Series, "online_link", None)
    time_zone: str | None = Field(None, min_length=1, max_length=64)
    default_start_time: TimeOfDay | None = Field(None, description="HH:MM; null: none")
    default_duration_minutes: StrictInt | None = Field(None, ge=1, le=MAX_DURATION_MINUTES)
    host_organization: str | None = ref(None)
    organizations: list[Ref] | None = Field(None, max_length=LIST_MAX)
    themes: list[Ref] | None = Field(None, max_length=LIST_MAX)
    template_agenda: list[TemplateItem] | None = Field(
        None, max_length=100, description="Replaces the template agenda"
    )
    classification: Classification | None = None
    shared_with: list[Ref] | None = Field(None, max_length=LIST_MAX)


# ---------------------------------------------------------------- actions


class ActionOut(Schema):
    id: int
    title: str
    description: str
    owner_user: str | None = Field(..., description="User name")
    owner_person: PersonRef | None = Field(..., description="A person you may see")
    organization: OrganizationRef | None
    meeting: MeetingRef | None = Field(..., description="Where it was raised")
    outcome: int | None
    due: datetime.date | None
    status: ActionStatus
    completed_on: datetime.date | None
    note: str
    carried_to: list[MeetingRef] = Field(..., description="Meetings you may see")
    is_overdue: bool
    classification: Classification
    version: int

    @staticmethod
    def resolve_owner_user(obj):
        return obj.owner_user.get_username() if obj.owner_user_id else None

    @staticmethod
    def resolve_outcome(obj):
        return obj.outcome_id

    @staticmethod
    def resolve_carried_to(obj):
        return list(obj.carried_to.all())


OWNER_HELP = "“me” or a user name; null or empty: none"


class ActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    description: str = text(Action, "description")
    owner_user: str | None = Field(None, max_length=150, description=OWNER_HELP)
    owner_person: Id | None = Field(None, description="Id of a person (instead of a user)")
    organization: str | None = ref(None, description="Partner organization: acronym or id")
    meeting: Id | None = Field(None, description="Id of the meeting it was raised at")
    outcome: Id | None = Field(None, description="Id of the outcome it comes from")
    due: Day | None = None
    status: ActionStatus = ActionStatus.OPEN
    completed_on: Day | None = Field(None, description="When done; today if left out")
    note: str = text(Action, "note")
    carried_to: list[Id] = Field([], max_length=LIST_MAX, description="Meeting ids")
    classification: Classification = Classification.INTERNAL
    shared_with: list[Ref] = Field([], max_length=LIST_MAX)


class ActionPatch(Schema):
    version: StrictInt = Field(..., description=VERSION_HELP)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = text(Action, "description", None)
    owner_user: str | None = Field(None, max_length=150, description=OWNER_HELP)
    owner_person: Id | None = None
    organization: str | None = ref(None)
    meeting: Id | None = None
    outcome: Id | None = None
    due: Day | None = None
    status: ActionStatus | None = None
    completed_on: Day | None = None
    note: str | None = text(Action, "note", None)
    carried_to: list[Id] | None = Field(None, max_length=LIST_MAX)
    classification: Classification | None = None
    shared_with: list[Ref] | None = Field(None, max_length=LIST_MAX)


class BulkStatusIn(Schema):
    ids: list[Id] = Field(..., min_length=1, max_length=LIST_MAX, description="Action ids")
    status: ActionStatus
    completed_on: Day | None = Field(None, description="For done: the day; today if left out")
    note: str | None = Field(None, max_length=TEXT_MAX, description="Replaces each one's note")


class BulkStatusOut(Schema):
    count: int
    items: list[ActionOut]


class Version(Schema):
    version: int | None = Field(None, description="Refuse the delete if the record changed.")
