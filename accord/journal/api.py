"""REST endpoints of the journal: thin, parse → selector or service → schema (as NetBox's)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from accord.core.api import invalid, require_edit, require_view
from accord.core.apinput import (
    BIGINT_MAX,
    LIST_MAX,
    SEARCH_MAX,
    Day,
    Paged,
    Ref,
    nulls_as_empty,
)
from accord.core.choices import Classification
from accord.core.forms import TEXT_MAX

from . import selectors, services
from .attach import journal_models, model_for
from .choices import JournalKind
from .models import JournalEntry

router = Router()

TYPE_HELP = "The kind of record, as app.model: registry.organization, registry.partnership, …"


class JournalEntryOut(Schema):
    id: int
    assigned_object_type: str = Field(..., description=TYPE_HELP)
    assigned_object_id: int
    assigned_object: str = Field(..., description="The record's name")
    date: datetime.date
    kind: JournalKind
    text: str
    author: str | None
    classification: Classification
    created: datetime.datetime
    version: int

    @staticmethod
    def resolve_assigned_object_type(obj):
        return f"{obj.assigned_object_type.app_label}.{obj.assigned_object_type.model}"

    @staticmethod
    def resolve_assigned_object(obj):
        # Prefetched through the policy by the selector; an entry is only listed if it is seen.
        return str(obj.assigned_object) if obj.assigned_object is not None else ""

    @staticmethod
    def resolve_author(obj):
        return obj.author.get_username() if obj.author_id else None


class JournalEntryIn(Schema):
    assigned_object_type: str = Field(..., max_length=100, description=TYPE_HELP)
    assigned_object_id: StrictInt = Field(..., ge=1, le=BIGINT_MAX)
    date: Day
    kind: JournalKind = JournalKind.NOTE
    text: str = Field(..., min_length=1, max_length=TEXT_MAX)
    classification: Classification = Classification.INTERNAL
    shared_with: list[Ref] = Field([], max_length=LIST_MAX, description="Acronyms or ids")


class JournalEntryPatch(Schema):
    """Only the fields you send change. The record and the author stay."""

    version: StrictInt = Field(..., description="The version you read; a stale one gets 409.")
    date: Day | None = None
    kind: JournalKind | None = None
    text: str | None = Field(None, min_length=1, max_length=TEXT_MAX)
    classification: Classification | None = None
    shared_with: list[Ref] | None = Field(None, max_length=LIST_MAX)


class Version(Schema):
    version: int | None = Field(None, description="Refuse the delete if the record changed.")


class JournalFilters(Schema):
    assigned_object_type: str | None = Field(None, max_length=100, description=TYPE_HELP)
    assigned_object_id: int | None = Field(None, ge=1, le=BIGINT_MAX)
    kind: JournalKind | None = None
    author: str | None = Field(None, max_length=150, description="User name")
    date_after: Day | None = Field(None, description="On or after this day")
    date_before: Day | None = Field(None, description="On or before this day")
    search: str | None = Field(None, max_length=SEARCH_MAX, description="Words in the text")


def record_type(value, field, where="body"):
    model = model_for(value)
    if model is None:
        kinds = ", ".join(journal_models())
        raise invalid(field, f"Not a kind of record with a journal; one of: {kinds}.", where)
    return model


def record_ref(user, model, pk, field):
    """The record through the policy: a hidden one reads as missing."""
    obj = model.objects.visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise invalid(field, f"No {model._meta.verbose_name} {pk}.")
    return obj


def organizations_ref(user, values, field):
    organization = JournalEntry._meta.get_field("shared_with").related_model
    found = []
    for value in values:
        qs = organization.objects.visible_to(user)
        match = qs.filter(acronym__iexact=value).first() if "\x00" not in value else None
        if match is None and value.isdecimal():
            match = qs.filter(pk=int(value)).first() if int(value) <= BIGINT_MAX else None
        if match is None:
            raise invalid(field, f"No organization “{value}”.")
        found.append(match)
    return found


@router.get("/journal-entries", response=list[JournalEntryOut], tags=["journal"])
@paginate(Paged)
def journal_entry_list(request, filters: Query[JournalFilters]):
    require_view(request)
    qs = selectors.journal_list(user=request.user)
    if filters.assigned_object_type:
        model = record_type(filters.assigned_object_type, "assigned_object_type", "query")
        qs = qs.filter(assigned_object_type=ContentType.objects.get_for_model(model))
    if filters.assigned_object_id is not None:
        # Entries of a hidden record are not in `qs`: a hidden id lists nothing, as a missing one.
        qs = qs.filter(assigned_object_id=filters.assigned_object_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.author:
        qs = qs.filter(author__username=filters.author)
    if filters.date_after:
        qs = qs.filter(date__gte=filters.date_after)
    if filters.date_before:
        qs = qs.filter(date__lte=filters.date_before)
    if filters.search:
        qs = qs.filter(text__icontains=filters.search.strip())
    return qs


def entry_get(request, pk) -> JournalEntry:
    return selectors.journal_entry_get(user=request.user, pk=pk)


@router.get("/journal-entries/{pk}", response=JournalEntryOut, tags=["journal"])
def journal_entry_detail(request, pk: int):
    require_view(request)
    return entry_get(request, pk)


@router.post("/journal-entries", response={201: JournalEntryOut}, tags=["journal"])
def journal_entry_create(request, payload: JournalEntryIn):
    require_edit(request)
    data = payload.dict()
    model = record_type(data.pop("assigned_object_type"), "assigned_object_type")
    obj = record_ref(request.user, model, data.pop("assigned_object_id"), "assigned_object_id")
    data["shared_with"] = organizations_ref(request.user, data["shared_with"], "shared_with")
    created = services.journal_entry_create(actor=request.user, assigned_object=obj, **data)
    return Status(201, entry_get(request, created.pk))


@router.patch("/journal-entries/{pk}", response=JournalEntryOut, tags=["journal"])
def journal_entry_update(request, pk: int, payload: JournalEntryPatch):
    require_edit(request)
    entry = entry_get(request, pk)
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    if data.get("date", 0) is None:
        raise invalid("date", "May not be null.")
    if data.get("text", 0) is None:
        raise invalid("text", "May not be null.")
    data = nulls_as_empty(JournalEntry, data)
    if data.get("shared_with") is not None:
        data["shared_with"] = organizations_ref(request.user, data["shared_with"], "shared_with")
    services.journal_entry_update(
        actor=request.user, entry=entry, expected_version=payload.version, **data
    )
    return entry_get(request, pk)


@router.delete("/journal-entries/{pk}", response={204: None}, tags=["journal"])
def journal_entry_delete(request, pk: int, params: Query[Version]):
    require_edit(request)
    services.journal_entry_delete(
        actor=request.user, entry=entry_get(request, pk), expected_version=params.version
    )
    return Status(204, None)
