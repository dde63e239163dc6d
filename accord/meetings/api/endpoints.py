"""REST endpoints of meetings: thin, parse → selector or service → schema."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from accord.core import policy
from accord.core.api import invalid, require_edit, require_view
from accord.core.apinput import BIGINT_MAX, Day, Paged, nulls_as_empty, ref
from accord.registry import selectors as registry
from accord.taxonomy.selectors import theme_get

from .. import recurrence, selectors, services
from ..choices import ActionStatus, MeetingFormat, MeetingStatus
from ..models import Action, Meeting, Outcome, Series
from .schemas import (
    ActionIn,
    ActionOut,
    ActionPatch,
    AgendaItemIn,
    AgendaItemOut,
    AgendaItemPatch,
    BulkStatusIn,
    BulkStatusOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    OutcomeIn,
    OutcomeOut,
    OutcomePatch,
    SeriesIn,
    SeriesOut,
    SeriesPatch,
    Version,
)

router = Router()
DEFAULT_MINUTES = 120


# ---------------------------------------------------------------- input resolution


def organization_ref(user, value, field, where="body"):
    try:
        return registry.organization_get(user=user, key=value)
    except Http404:
        raise invalid(field, f"No organization “{value}”.", where) from None


def organizations_ref(user, values, field):
    return [organization_ref(user, value, field) for value in values]


def theme_ref(user, value, field, where="body"):
    try:
        return theme_get(user, value)
    except Http404:
        raise invalid(field, f"No theme “{value}”.", where) from None


def visible_ref(qs, pk, field, label, where="body"):
    """A record by id through the policy: a hidden one reads as missing."""
    found = qs.filter(pk=pk).first() if pk is not None and 1 <= pk <= BIGINT_MAX else None
    if found is None:
        raise invalid(field, f"No {label} {pk}.", where)
    return found


def person_ref(user, pk, field):
    return visible_ref(registry.person_list(user=user), pk, field, "person")


def series_ref(user, pk, field, where="body"):
    return visible_ref(Series.objects.visible_to(user), pk, field, "series", where)


def meeting_ref(user, pk, field, where="body"):
    return visible_ref(Meeting.objects.visible_to(user), pk, field, "meeting", where)


def outcome_ref(user, pk, field):
    return visible_ref(
        Outcome.objects.visible_to(user).select_related("agenda_item"), pk, field, "outcome"
    )


def user_ref(request, value, field, where="body"):
    """ "me", or the user name of a user with a role in the workspace."""
    if value == "me":
        return request.user
    found = get_user_model().objects.filter(username=value, is_active=True).first()
    if found is None or not policy.can_view(found):
        raise invalid(field, f"No user “{value}”.", where)
    return found


def time_zone_of(value, field="time_zone") -> str:
    if value not in recurrence.time_zone_names():
        raise invalid(
            field, f"“{str(value)[:64]}” is not an IANA time zone (such as Europe/Vienna)."
        )
    return value


def instant(value: datetime.datetime, tz_name: str, field: str) -> datetime.datetime:
    """An aware instant in UTC: a naive value is a wall-clock time in `tz_name`."""
    tz = recurrence.zone(tz_name)
    if value.tzinfo is None:
        if not recurrence.exists_locally(value, tz):
            raise invalid(
                field,
                f"{value:%Y-%m-%d %H:%M} does not exist in {tz_name}: the clocks skip it.",
            )
        value = value.replace(tzinfo=tz)
    try:
        return value.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise invalid(field, "This date is out of range.") from None


def later(start: datetime.datetime, minutes: int, field: str) -> datetime.datetime:
    try:
        return start + datetime.timedelta(minutes=minutes)
    except OverflowError:
        raise invalid(field, "This date is out of range.") from None


def patch_data(payload: Schema, model) -> dict:
    """The fields a PATCH sends, with null read as empty (see nulls_as_empty)."""
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return nulls_as_empty(model, data)


def shared_and_links(user, data: dict) -> dict:
    """References to organizations and themes, resolved through the policy."""
    for name in ("organizations", "shared_with"):
        if data.get(name) is not None:
            data[name] = organizations_ref(user, data[name], name)
    if data.get("themes") is not None:
        data["themes"] = [theme_ref(user, value, "themes") for value in data["themes"]]
    if data.get("host_organization"):
        data["host_organization"] = organization_ref(
            user, data["host_organization"], "host_organization"
        )
    elif "host_organization" in data:
        data["host_organization"] = None
    return data


def participants_of(user, entries) -> list:
    return [
        (person_ref(user, entry["person"], "participants"), entry["attendance"])
        for entry in entries
    ]


# ---------------------------------------------------------------- meetings


class MeetingFilters(Schema):
    organization: str | None = ref(None, description="Host or participant: acronym or id")
    series: int | None = Field(None, ge=1, le=BIGINT_MAX, description="Series id")
    format: MeetingFormat | None = None
    status: MeetingStatus | None = None
    theme: str | None = Field(
        None, max_length=60, description="Theme key or id (and those under it)"
    )
    date_from: Day | None = Field(
        None, alias="from", description="Meetings that end on or after this day (UTC)"
    )
    date_to: Day | None = Field(
        None, alias="to", description="Meetings that start on or before this day (UTC)"
    )


def utc_day(day: datetime.date, field: str) -> datetime.datetime:
    try:
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
    except (OverflowError, ValueError):
        raise invalid(field, "This date is out of range.", "query") from None


@router.get("/meetings", response=list[MeetingOut], tags=["meetings"])
@paginate(Paged)
def meeting_list(request, filters: Query[MeetingFilters]):
    require_view(request)
    user = request.user
    end = None
    if filters.date_to is not None and filters.date_to < datetime.date.max:
        end = utc_day(filters.date_to + datetime.timedelta(days=1), "to")
    qs = selectors.filter_meetings(
        selectors.meeting_list(user),
        organization=organization_ref(user, filters.organization, "organization", "query")
        if filters.organization
        else None,
        series=series_ref(user, filters.series, "series", "query") if filters.series else None,
        format=filters.format,
        status=filters.status,
        theme=theme_ref(user, filters.theme, "theme", "query") if filters.theme else None,
        start=utc_day(filters.date_from, "from") if filters.date_from else None,
        end=end,
    )
    return qs


def meeting_get(request, meeting_id) -> Meeting:
    return selectors.meeting_get(request.user, meeting_id)


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, tags=["meetings"])
def meeting_detail(request, meeting_id: int):
    require_view(request)
    return meeting_get(request, meeting_id)


@router.post("/meetings", response={201: MeetingDetailOut}, tags=["meetings"])
def meeting_create(request, payload: MeetingIn):
    require_edit(request)
    user = request.user
    data = payload.dict()
    series = series_ref(user, data["series"], "series") if data["series"] else None
    data["series"] = series
    tz = data.pop("time_zone") or (series.time_zone if series else None)
    if tz is None:
        raise invalid("time_zone", "Give the meeting's time zone (such as Europe/Vienna).")
    data["time_zone"] = time_zone_of(tz)
    data["start"] = instant(data["start"], tz, "start")
    if data["end"] is None:
        minutes = series.default_duration_minutes if series else DEFAULT_MINUTES
        data["end"] = later(data["start"], minutes, "end")
    else:
        data["end"] = instant(data["end"], tz, "end")
    for name, default in (("format", None), ("level", "headquarters")):
        if data[name] is None:
            data[name] = getattr(series, name) if series else default
    if data["format"] is None:
        raise invalid("format", "Give the meeting's format.")
    data["participants"] = participants_of(user, data["participants"])
    created = services.meeting_create(actor=user, **shared_and_links(user, data))
    return Status(201, meeting_get(request, created.pk))


@router.patch("/meetings/{meeting_id}", response=MeetingDetailOut, tags=["meetings"])
def meeting_update(request, meeting_id: int, payload: MeetingPatch):
    require_edit(request)
    user = request.user
    meeting = meeting_get(request, meeting_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    if "time_zone" in data:
        if data["time_zone"] is None:
            raise invalid("time_zone", "May not be null.")
        time_zone_of(data["time_zone"])
    tz = data.get("time_zone", meeting.time_zone)
    for name in ("start", "end"):
        if data.get(name) is not None:
            data[name] = instant(data[name], tz, name)
    if "participants" in data:
        data["participants"] = participants_of(user, data["participants"] or [])
    data = nulls_as_empty(Meeting, data)
    if data.get("series") is not None:
        data["series"] = series_ref(user, data["series"], "series")
    services.meeting_update(
        actor=user,
        meeting=meeting,
        expected_version=payload.version,
        **shared_and_links(user, data),
    )
    return meeting_get(request, meeting_id)


@router.delete("/meetings/{meeting_id}", response={204: None}, tags=["meetings"])
def meeting_delete(request, meeting_id: int, params: Query[Version]):
    require_edit(request)
    services.meeting_delete(
        actor=request.user,
        meeting=meeting_get(request, meeting_id),
        expected_version=params.version,
    )
    return Status(204, None)


# ---------------------------------------------------------------- agenda items and outcomes


@router.get("/meetings/{meeting_id}/agenda-items", response=list[AgendaItemOut], tags=["meetings"])
@paginate(Paged)
def agenda_item_list(request, meeting_id: int):
    require_view(request)
    return selectors.agenda_items_of(request.user, meeting_get(request, meeting_id))


def item_get(request, meeting_id, item_id):
    meeting = meeting_get(request, meeting_id)
    return selectors.agenda_item_get(request.user, meeting, item_id)


@router.get(
    "/meetings/{meeting_id}/agenda-items/{item_id}", response=AgendaItemOut, tags=["meetings"]
)
def agenda_item_detail(request, meeting_id: int, item_id: int):
    require_view(request)
    return item_get(request, meeting_id, item_id)


@router.post(
    "/meetings/{meeting_id}/agenda-items", response={201: AgendaItemOut}, tags=["meetings"]
)
def agenda_item_create(request, meeting_id: int, payload: AgendaItemIn):
    require_edit(request)
    meeting = meeting_get(request, meeting_id)
    created = services.agenda_item_create(actor=request.user, meeting=meeting, **payload.dict())
    return Status(201, item_get(request, meeting_id, created.pk))


@router.patch(
    "/meetings/{meeting_id}/agenda-items/{item_id}", response=AgendaItemOut, tags=["meetings"]
)
def agenda_item_update(request, meeting_id: int, item_id: int, payload: AgendaItemPatch):
    require_edit(request)
    item = item_get(request, meeting_id, item_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    if "position" in data and data["position"] is None:
        raise invalid("position", "May not be null.")
    services.agenda_item_update(
        actor=request.user,
        item=item,
        expected_version=payload.version,
        **nulls_as_empty(type(item), data),
    )
    return item_get(request, meeting_id, item_id)


@router.delete(
    "/meetings/{meeting_id}/agenda-items/{item_id}", response={204: None}, tags=["meetings"]
)
def agenda_item_delete(request, meeting_id: int, item_id: int, params: Query[Version]):
    require_edit(request)
    services.agenda_item_delete(
        actor=request.user,
        item=item_get(request, meeting_id, item_id),
        expected_version=params.version,
    )
    return Status(204, None)


OUTCOMES = "/meetings/{meeting_id}/agenda-items/{item_id}/outcomes"


@router.get(OUTCOMES, response=list[OutcomeOut], tags=["meetings"])
@paginate(Paged)
def outcome_list(request, meeting_id: int, item_id: int):
    require_view(request)
    return selectors.outcomes_of(request.user, item_get(request, meeting_id, item_id))


def outcome_get(request, meeting_id, item_id, outcome_id):
    item = item_get(request, meeting_id, item_id)
    return selectors.outcome_get(request.user, item, outcome_id)


@router.get(OUTCOMES + "/{outcome_id}", response=OutcomeOut, tags=["meetings"])
def outcome_detail(request, meeting_id: int, item_id: int, outcome_id: int):
    require_view(request)
    return outcome_get(request, meeting_id, item_id, outcome_id)


@router.post(OUTCOMES, response={201: OutcomeOut}, tags=["meetings"])
def outcome_create(request, meeting_id: int, item_id: int, payload: OutcomeIn):
    require_edit(request)
    item = item_get(request, meeting_id, item_id)
    created = services.outcome_create(actor=request.user, agenda_item=item, **payload.dict())
    return Status(201, outcome_get(request, meeting_id, item_id, created.pk))


@router.patch(OUTCOMES + "/{outcome_id}", response=OutcomeOut, tags=["meetings"])
def outcome_update(request, meeting_id: int, item_id: int, outcome_id: int, payload: OutcomePatch):
    require_edit(request)
    outcome = outcome_get(request, meeting_id, item_id, outcome_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    if "text" in data and data["text"] is None:
        raise invalid("text", "May not be null.")
    return services.outcome_update(
        actor=request.user,
        outcome=outcome,
        expected_version=payload.version,
        **nulls_as_empty(Outcome, data),
    )


@router.delete(OUTCOMES + "/{outcome_id}", response={204: None}, tags=["meetings"])
def outcome_delete(request, meeting_id: int, item_id: int, outcome_id: int, params: Query[Version]):
    require_edit(request)
    services.outcome_delete(
        actor=request.user,
        outcome=outcome_get(request, meeting_id, item_id, outcome_id),
        expected_version=params.version,
    )
    return Status(204, None)


# ---------------------------------------------------------------- series


class SeriesFilters(Schema):
    organization: str | None = ref(None, description="Host or participant: acronym or id")
    format: MeetingFormat | None = None


@router.get("/series", response=list[SeriesOut], tags=["series"])
@paginate(Paged)
def series_list(request, filters: Query[SeriesFilters]):
    require_view(request)
    user = request.user
    qs = selectors.series_list(user)
    if filters.organization:
        organization = organization_ref(user, filters.organization, "organization", "query")
        through = Series.organizations.through
        taking_part = through.objects.filter(organization=organization).values("series_id")
        qs = qs.filter(Q(pk__in=taking_part) | Q(host_organization=organization))
    if filters.format:
        qs = qs.filter(format=filters.format)
    return qs


def series_get(request, series_id) -> Series:
    return selectors.series_get(request.user, series_id)


@router.get("/series/{series_id}", response=SeriesOut, tags=["series"])
def series_detail(request, series_id: int):
    require_view(request)
    return series_get(request, series_id)


def series_fields(user, data: dict) -> dict:
    if data.get("time_zone") is not None:
        time_zone_of(data["time_zone"])
    if data.get("template_agenda") is not None:
        data["template_agenda"] = [dict(item) for item in data["template_agenda"]]
    return shared_and_links(user, data)


@router.post("/series", response={201: SeriesOut}, tags=["series"])
def series_create(request, payload: SeriesIn):
    require_edit(request)
    created = services.series_create(
        actor=request.user, **series_fields(request.user, payload.dict())
    )
    return Status(201, series_get(request, created.pk))


@router.patch("/series/{series_id}", response=SeriesOut, tags=["series"])
def series_update(request, series_id: int, payload: SeriesPatch):
    require_edit(request)
    series = series_get(request, series_id)
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    for name in ("time_zone", "cadence"):
        if name in data and data[name] is None:
            raise invalid(name, "May not be null.")
    if "template_agenda" in data and data["template_agenda"] is None:
        data["template_agenda"] = []
    services.series_update(
        actor=request.user,
        series=series,
        expected_version=payload.version,
        **series_fields(request.user, nulls_as_empty(Series, data)),
    )
    return series_get(request, series_id)


@router.delete("/series/{series_id}", response={204: None}, tags=["series"])
def series_delete(request, series_id: int, params: Query[Version]):
    require_edit(request)
    services.series_delete(
        actor=request.user, series=series_get(request, series_id), expected_version=params.version
    )
    return Status(204, None)


@router.post("/series/{series_id}/next", response={201: MeetingDetailOut}, tags=["series"])
def series_next(request, series_id: int):
    """Create the series' next meeting from its rule and template, carrying over open actions
    and the agenda items marked "carry over" from its latest meeting."""
    require_edit(request)
    created = services.create_next_occurrence(series_get(request, series_id), request.user)
    return Status(201, meeting_get(request, created.pk))


# ---------------------------------------------------------------- actions


class ActionFilters(Schema):
    status: ActionStatus | None = None
    owner: str | None = Field(None, max_length=150, description="“me” or a user name")
    overdue: bool | None = Field(None, description="true: only overdue; false: none overdue")
    organization: str | None = ref(None, description="Partner organization: acronym or id")
    meeting: int | None = Field(None, ge=1, le=BIGINT_MAX, description="Raised at this meeting")


@router.get("/actions", response=list[ActionOut], tags=["actions"])
@paginate(Paged)
def action_list(request, filters: Query[ActionFilters]):
    require_view(request)
    user = request.user
    return selectors.actions_for(
        user,
        owner=user_ref(request, filters.owner, "owner", "query") if filters.owner else None,
        overdue=filters.overdue,
        organization=organization_ref(user, filters.organization, "organization", "query")
        if filters.organization
        else None,
        status=filters.status,
        meeting=meeting_ref(user, filters.meeting, "meeting", "query") if filters.meeting else None,
    )


@router.post("/actions/bulk-status", response=BulkStatusOut, tags=["actions"])
def action_bulk_status(request, payload: BulkStatusIn):
    """Give many actions one status in one transaction: all of them, or none.

    (Declared before /actions/{action_id}, which would otherwise take its address.)
    """
    require_edit(request)
    user = request.user
    ids = list(dict.fromkeys(payload.ids))
    found = {a.pk: a for a in selectors.action_list(user).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise invalid("ids", f"No action {missing[0]}.")
    services.set_action_status(
        [found[pk] for pk in ids],
        payload.status,
        user,
        completed_on=payload.completed_on,
        note=payload.note,
    )
    items = list(selectors.action_list(user).filter(pk__in=ids))
    return {"count": len(items), "items": items}


def action_get(request, action_id) -> Action:
    return selectors.action_get(request.user, action_id)


@router.get("/actions/{action_id}", response=ActionOut, tags=["actions"])
def action_detail(request, action_id: int):
    require_view(request)
    return action_get(request, action_id)


def action_fields(request, data: dict) -> dict:
    user = request.user
    if "owner_user" in data:
        data["owner_user"] = (
            user_ref(request, data["owner_user"], "owner_user") if data["owner_user"] else None
        )
    if data.get("owner_person") is not None:
        data["owner_person"] = person_ref(user, data["owner_person"], "owner_person")
    if data.get("organization"):
        data["organization"] = organization_ref(user, data["organization"], "organization")
    elif "organization" in data:
        data["organization"] = None
    if data.get("meeting") is not None:
        data["meeting"] = meeting_ref(user, data["meeting"], "meeting")
    if data.get("outcome") is not None:
        data["outcome"] = outcome_ref(user, data["outcome"], "outcome")
    if data.get("carried_to") is not None:
        data["carried_to"] = [meeting_ref(user, pk, "carried_to") for pk in data["carried_to"]]
    if data.get("shared_with") is not None:
        data["shared_with"] = organizations_ref(user, data["shared_with"], "shared_with")
    return data


@router.post("/actions", response={201: ActionOut}, tags=["actions"])
def action_create(request, payload: ActionIn):
    require_edit(request)
    created = services.action_create(actor=request.user, **action_fields(request, payload.dict()))
    return Status(201, action_get(request, created.pk))


@router.patch("/actions/{action_id}", response=ActionOut, tags=["actions"])
def action_update(request, action_id: int, payload: ActionPatch):
    require_edit(request)
    action = action_get(request, action_id)
    services.action_update(
        actor=request.user,
        action=action,
        expected_version=payload.version,
        **action_fields(request, patch_data(payload, Action)),
    )
    return action_get(request, action_id)


@router.delete("/actions/{action_id}", response={204: None}, tags=["actions"])
def action_delete(request, action_id: int, params: Query[Version]):
    require_edit(request)
    services.action_delete(
        actor=request.user, action=action_get(request, action_id), expected_version=params.version
    )
    return Status(204, None)
