"""REST endpoints of the registry: thin, parse → selector or service → schema."""

import datetime
from typing import Annotated

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool, StrictFloat, StrictInt

from accord.core.api import invalid, require_edit, require_view
from accord.core.apinput import (
    BIGINT_MAX,
    LIST_MAX,
    SEARCH_MAX,
    Day,
    Paged,
    Ref,
    nulls_as_empty,
    ref,
    text,
)
from accord.core.choices import Classification

from . import bulk, selectors, services
from .choices import (
    DocumentKind,
    MembershipStatus,
    OrganizationKind,
    PartnershipStatus,
    PartnershipType,
    Priority,
)
from .models import (
    Country,
    FrameworkDocument,
    Membership,
    Organization,
    Partnership,
    Person,
)
from .names import search_q

router = Router()


# ---------------------------------------------------------------- schemas


class CountryRef(Schema):
    iso3: str
    name: str


class OrganizationRef(Schema):
    id: int
    acronym: str
    name: str


COUNTRY_NAME_HELP = (
    "In English, as stored (ISO 3166-1): the API does not translate names; pages show them "
    "in the reader's language, and clients can do the same from the ISO code"
)
REGION_HELP = "In English, as stored (UN M49 names); pages translate it"


class CountryOut(Schema):
    id: int
    iso3: str
    iso2: str | None = Field(..., description="None for a state ISO 3166-1 does not list")
    numeric: str | None
    name: str = Field(..., description=COUNTRY_NAME_HELP)
    official_name: str = Field(..., description=COUNTRY_NAME_HELP)
    region: str = Field(..., description=REGION_HELP)
    subregion: str = Field(..., description=REGION_HELP)
    capital: str
    capital_lat: float | None
    capital_lng: float | None
    cow_code: int | None
    exists_from: int | None
    exists_to: int | None = Field(
        ..., description="The last year of a state that no longer exists (historical)"
    )
    note: str
    version: int


class FactSource(Schema):
    value: str | float | None
    title: str
    url: str
    checked: str
    note: str


class CountryDetailOut(CountryOut):
    borders: list[str]
    fact_sources: dict[str, FactSource] = Field(
        ...,
        description="Facts corrected from our reviewed list, by field, with their source; "
        "only while the field still holds the corrected value",
    )

    @staticmethod
    def resolve_fact_sources(obj):
        return {
            field: obj.fact_source(field) for field in obj.fact_sources if obj.fact_source(field)
        }

    @staticmethod
    def resolve_borders(obj):
        return [c.iso3 for c in obj.borders.all()]


class OrganizationOut(Schema):
    id: int
    acronym: str
    name: str
    former_names: list[str]
    kind: OrganizationKind
    headquarters: str
    headquarters_country: str | None
    founded: int | None
    dissolved: int | None
    website: str
    description: str
    source: str
    cow_ioname: str
    identifiers: list[str] = Field(
        ..., description="What other registers call it, as scheme:value (cow-igo:NATO)"
    )
    mandate_themes: list[str] = Field(..., description="Slugs of the themes its mandate covers")
    is_home: bool
    version: int

    @staticmethod
    def resolve_headquarters_country(obj):
        return obj.headquarters_country.iso3 if obj.headquarters_country_id else None

    @staticmethod
    def resolve_identifiers(obj):
        return [str(identifier) for identifier in obj.identifiers.all()]

    @staticmethod
    def resolve_mandate_themes(obj):
        return sorted(theme.slug for theme in obj.mandate_themes.all())


class OrganizationListOut(OrganizationOut):
    member_count: int
    is_partner: bool


FormerName = Annotated[str, Field(max_length=200)]
ThemeSlug = Annotated[str, Field(min_length=1, max_length=60)]
ACRONYM_HELP = "Starts with a letter; letters and digits with single - & . _ between them"


class OrganizationIn(Schema):
    acronym: str = Field(..., min_length=1, max_length=20, description=ACRONYM_HELP)
    name: str = Field(..., min_length=1, max_length=200)
    former_names: list[FormerName] = Field([], max_length=50)
    kind: OrganizationKind
    headquarters: str = text(Organization, "headquarters")
    headquarters_country: str | None = ref(None, description="ISO 3166-1 alpha-3; empty: none")
    founded: StrictInt | None = Field(None, ge=1, le=9999)
    dissolved: StrictInt | None = Field(None, ge=1, le=9999)
    website: str = text(Organization, "website")
    description: str = text(Organization, "description")
    source: str = text(Organization, "source")
    cow_ioname: str = text(Organization, "cow_ioname")
    mandate_themes: list[ThemeSlug] = Field(
        [], max_length=LIST_MAX, description="Slugs of the themes its mandate covers"
    )
    is_home: StrictBool = False


class OrganizationPatch(Schema):
    """Only the fields you send change. Null empties a text or a list."""

    version: StrictInt = Field(..., description="The version you read; a stale one gets 409.")
    acronym: str | None = Field(None, min_length=1, max_length=20, description=ACRONYM_HELP)
    name: str | None = Field(None, min_length=1, max_length=200)
    former_names: list[FormerName] | None = Field(None, max_length=50)
    kind: OrganizationKind | None = None
    headquarters: str | None = text(Organization, "headquarters", None)
    headquarters_country: str | None = ref(None, description="ISO 3166-1 alpha-3; empty: none")
    founded: StrictInt | None = Field(None, ge=1, le=9999)
    dissolved: StrictInt | None = Field(None, ge=1, le=9999)
    website: str | None = text(Organization, "website", None)
    description: str | None = text(Organization, "description", None)
    source: str | None = text(Organization, "source", None)
    cow_ioname: str | None = text(Organization, "cow_ioname", None)
    mandate_themes: list[ThemeSlug] | None = Field(
        None, max_length=LIST_MAX, description="Slugs of the themes its mandate covers"
    )
    is_home: StrictBool | None = None


class MembershipOut(Schema):
    id: int
    organization: OrganizationRef
    country: CountryRef
    status: MembershipStatus
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    source: str
    note: str
    version: int


class MemberOut(Schema):
    id: int
    country: CountryRef
    status: MembershipStatus
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    version: int


class CountryMembershipOut(Schema):
    id: int
    organization: OrganizationRef
    status: MembershipStatus
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    version: int


class MembershipIn(Schema):
    organization: str = ref(description="Acronym or id")
    country: str = ref(description="ISO 3166-1 alpha-3")
    status: MembershipStatus
    valid_from: Day | None = None
    valid_to: Day | None = None
    source: str = text(Membership, "source")
    note: str = text(Membership, "note")
    confirm_before_founding: StrictBool = Field(
        False,
        description="Accept a start before the organization's founding year (a founding "
        "member counted from its signature, or membership of a predecessor).",
    )


class MembershipPatch(Schema):
    version: StrictInt
    status: MembershipStatus | None = None
    valid_from: Day | None = None
    valid_to: Day | None = None
    source: str | None = text(Membership, "source", None)
    note: str | None = text(Membership, "note", None)
    confirm_before_founding: StrictBool = Field(
        False, description="Accept a new start before the organization's founding year."
    )


class DocumentOut(Schema):
    id: int
    key: str
    title: str
    year: int
    place: str
    kind: DocumentKind
    adopted_on: datetime.date | None
    review_on: datetime.date | None
    expires_on: datetime.date | None
    description: str
    source: str
    classification: Classification
    version: int


class DocumentIn(Schema):
    key: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(..., min_length=1, max_length=300)
    year: StrictInt = Field(..., ge=1, le=9999)
    place: str = text(FrameworkDocument, "place")
    kind: DocumentKind
    adopted_on: Day | None = None
    review_on: Day | None = Field(None, description="Next review (YYYY-MM-DD)")
    expires_on: Day | None = Field(None, description="Last day in force (YYYY-MM-DD)")
    description: str = text(FrameworkDocument, "description")
    source: str = text(FrameworkDocument, "source")
    classification: Classification = Classification.PUBLIC
    shared_with: list[Ref] = Field([], max_length=LIST_MAX)


class DocumentPatch(Schema):
    version: StrictInt
    key: str | None = Field(None, min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str | None = Field(None, min_length=1, max_length=300)
    year: StrictInt | None = Field(None, ge=1, le=9999)
    place: str | None = text(FrameworkDocument, "place", None)
    kind: DocumentKind | None = None
    adopted_on: Day | None = None
    review_on: Day | None = Field(None, description="Next review; null: none")
    expires_on: Day | None = Field(None, description="Last day in force; null: none")
    description: str | None = text(FrameworkDocument, "description", None)
    source: str | None = text(FrameworkDocument, "source", None)
    classification: Classification | None = None
    shared_with: list[Ref] | None = Field(None, max_length=LIST_MAX)


class DocumentRef(Schema):
    id: int
    key: str
    title: str
    year: int


class PartnershipOut(Schema):
    id: int
    organization: OrganizationRef
    partner: OrganizationRef
    type: PartnershipType
    basis: list[DocumentRef]
    since: datetime.date | None
    status: PartnershipStatus
    priority: Priority
    review_on: datetime.date | None
    notes: str
    classification: Classification
    version: int

    @staticmethod
    def resolve_basis(obj):
        return list(obj.basis.all())


DocumentKey = Annotated[str, Field(max_length=60)]


class PartnershipIn(Schema):
    organization: str = ref(description="Acronym or id")
    partner: str = ref(description="Acronym or id")
    type: PartnershipType
    basis: list[DocumentKey] = Field([], max_length=LIST_MAX, description="Framework document keys")
    since: Day | None = None
    status: PartnershipStatus = PartnershipStatus.ACTIVE
    priority: Priority = Priority.MEDIUM
    review_on: Day | None = Field(None, description="Next review (YYYY-MM-DD)")
    notes: str = text(Partnership, "notes")
    classification: Classification = Classification.INTERNAL
    shared_with: list[Ref] = Field([], max_length=LIST_MAX)


class PartnershipPatch(Schema):
    version: StrictInt
    type: PartnershipType | None = None
    basis: list[DocumentKey] | None = Field(None, max_length=LIST_MAX)
    since: Day | None = None
    status: PartnershipStatus | None = None
    priority: Priority | None = None
    review_on: Day | None = Field(None, description="Next review; null: none")
    notes: str | None = text(Partnership, "notes", None)
    classification: Classification | None = None
    shared_with: list[Ref] | None = Field(None, max_length=LIST_MAX)


class PersonOut(Schema):
    id: int
    name: str
    title: str
    organization: OrganizationRef
    email: str
    phone: str
    partnership: int | None = Field(None, description="Id of a partnership you may see")
    role: str
    description: str
    classification: Classification
    version: int

    @staticmethod
    def resolve_partnership(obj):
        # person_list() prefetches the partnership through the policy: a hidden one is None.
        return obj.partnership.pk if obj.partnership is not None else None


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    title: str = text(Person, "title")
    organization: str = ref(description="Acronym or id")
    email: str = text(Person, "email")
    phone: str = text(Person, "phone")
    partnership: StrictInt | None = Field(None, ge=1, le=BIGINT_MAX)
    role: str = text(Person, "role")
    description: str = text(Person, "description")
    classification: Classification = Classification.INTERNAL
    shared_with: list[Ref] = Field([], max_length=LIST_MAX)


class PersonPatch(Schema):
    version: StrictInt
    name: str | None = Field(None, min_length=1, max_length=200)
    title: str | None = text(Person, "title", None)
    organization: str | None = ref(None, description="Acronym or id")
    email: str | None = text(Person, "email", None)
    phone: str | None = text(Person, "phone", None)
    partnership: StrictInt | None = Field(None, ge=1, le=BIGINT_MAX, description="Null: none")
    role: str | None = text(Person, "role", None)
    description: str | None = text(Person, "description", None)
    classification: Classification | None = None
    shared_with: list[Ref] | None = Field(None, max_length=LIST_MAX)


class OverlapOut(Schema):
    a: str
    b: str
    as_of: datetime.date
    count: int
    iso3: list[str]


class Version(Schema):
    version: int | None = Field(None, description="Refuse the delete if the record changed.")


# ---------------------------------------------------------------- input resolution


def organization_ref(user, value, field, where="body"):
    try:
        return selectors.organization_get(user=user, key=value)
    except Http404:
        raise invalid(field, f"No organization “{value}”.", where) from None


def country_ref(user, value, field, where="body"):
    try:
        return selectors.country_get(user=user, key=value)
    except Http404:
        raise invalid(field, f"No country with the ISO code “{value}”.", where) from None


def organizations_ref(user, values, field):
    return [organization_ref(user, value, field) for value in values]


def documents_ref(user, keys, field):
    found = {d.key: d for d in selectors.document_list(user=user).filter(key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        raise invalid(field, f"No framework document “{missing[0]}”.")
    return [found[key] for key in keys]


def partnership_ref(user, pk, field, where="body"):
    if pk is None:
        return None
    found = selectors.partnership_list(user=user).filter(pk=pk).first()
    if found is None:
        raise invalid(field, f"No partnership {pk}.", where)
    return found


def patch_fields(payload: Schema, model) -> dict:
    """The fields a PATCH sends, with null read as empty (see nulls_as_empty)."""
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return nulls_as_empty(model, data)


# ---------------------------------------------------------------- organizations


class OrganizationFilters(Schema):
    search: str | None = Field(
        None,
        max_length=SEARCH_MAX,
        description="In acronym, name and former names, ignoring case and accents; "
        "every word must be found",
    )
    kind: OrganizationKind | None = None
    is_partner: bool | None = Field(None, description="Partner of the home organization")
    is_home: bool | None = None
    identifier: str | None = Field(
        None,
        max_length=141,
        pattern=r"^[a-z][a-z0-9-]*:\S.*$",
        description="An external identifier, scheme:value (cow-igo:NATO); the value is "
        "compared ignoring case",
    )


@router.get("/organizations", response=list[OrganizationListOut], tags=["organizations"])
@paginate(Paged)
def organization_list(request, filters: Query[OrganizationFilters]):
    require_view(request)
    qs = selectors.organization_list(user=request.user)
    if filters.search:
        term = filters.search.strip()
        qs = qs.filter(search_q(term))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.is_partner is not None:
        qs = qs.filter(is_partner=filters.is_partner)
    if filters.is_home is not None:
        qs = qs.filter(is_home=filters.is_home)
    if filters.identifier:
        scheme, value = filters.identifier.split(":", 1)
        qs = qs.filter(identifiers__scheme=scheme, identifiers__value__iexact=value.strip())
    return qs.order_by("acronym").prefetch_related("identifiers", "mandate_themes")


@router.get("/organizations/{key}", response=OrganizationOut, tags=["organizations"])
def organization_detail(request, key: str):
    require_view(request)
    return selectors.organization_get(user=request.user, key=key)


def organization_fields(user, data: dict) -> dict:
    if "mandate_themes" in data:
        from accord.taxonomy.models import Theme

        slugs = data["mandate_themes"] or []
        themes = list(Theme.objects.visible_to(user).filter(slug__in=slugs))
        missing = sorted(set(slugs) - {theme.slug for theme in themes})
        if missing:
            raise invalid("mandate_themes", f"No theme “{missing[0]}”.")
        data["mandate_themes"] = themes
    if "headquarters_country" in data:
        # Empty or null: no headquarters country.
        code = data["headquarters_country"]
        data["headquarters_country"] = (
            country_ref(user, code, "headquarters_country") if code else None
        )
    return data


@router.post("/organizations", response={201: OrganizationOut}, tags=["organizations"])
def organization_create(request, payload: OrganizationIn):
    require_edit(request)
    data = organization_fields(request.user, payload.dict())
    return Status(201, services.organization_create(actor=request.user, **data))


@router.patch("/organizations/{key}", response=OrganizationOut, tags=["organizations"])
def organization_update(request, key: str, payload: OrganizationPatch):
    require_edit(request)
    organization = selectors.organization_get(user=request.user, key=key)
    data = organization_fields(request.user, patch_fields(payload, Organization))
    return services.organization_update(
        actor=request.user,
        organization=organization,
        expected_version=payload.version,
        **data,
    )


@router.delete("/organizations/{key}", response={204: None}, tags=["organizations"])
def organization_delete(request, key: str, params: Query[Version]):
    require_edit(request)
    organization = selectors.organization_get(user=request.user, key=key)
    services.organization_delete(
        actor=request.user, organization=organization, expected_version=params.version
    )
    return Status(204, None)


class MemberFilters(Schema):
    as_of: Day | None = Field(None, description="YYYY-MM-DD; today when left out")
    status: MembershipStatus | None = None


@router.get("/organizations/{key}/members", response=list[MemberOut], tags=["organizations"])
@paginate(Paged)
def organization_members(request, key: str, filters: Query[MemberFilters]):
    require_view(request)
    organization = selectors.organization_get(user=request.user, key=key)
    return selectors.members_of(
        user=request.user,
        organization=organization,
        as_of=filters.as_of,
        statuses=[filters.status] if filters.status else None,
    )


class BulkRowIn(Schema):
    country: str = Field(..., max_length=100, description="Name or ISO 3166-1 code")
    status: str | None = Field(None, max_length=40, description="Default: `default_status`")
    valid_from: str | None = Field(
        None, max_length=40, description="YYYY-MM-DD; default: `default_valid_from`"
    )
    valid_to: str | None = Field(None, max_length=40, description="YYYY-MM-DD, the last day")


class MembershipBulkIn(Schema):
    rows: list[BulkRowIn] = Field(..., min_length=1, max_length=bulk.MAX_ROWS)
    dry_run: StrictBool = Field(True, description="Judge the rows and write nothing.")
    default_status: MembershipStatus = MembershipStatus.FULL
    default_valid_from: Day | None = None
    source: str = text(Membership, "source")
    confirm_before_founding: StrictBool = Field(
        False, description="Accept starts before the organization's founding year."
    )


class BulkRowOut(Schema):
    line: int
    country: str
    iso3: str | None
    status: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    result: str = Field(..., description="new, unchanged or wrong")
    reason: str
    suggestions: list[str]


class MembershipBulkOut(Schema):
    dry_run: bool
    written: int
    counts: dict[str, int]
    rows: list[BulkRowOut]


class MembershipBulkRefused(Schema):
    detail: list[dict]
    counts: dict[str, int]
    rows: list[BulkRowOut]


def bulk_row_out(item) -> dict:
    return {
        "line": item.line,
        "country": item.given,
        "iso3": item.country.iso3 if item.country else None,
        "status": item.status or None,
        "valid_from": item.valid_from,
        "valid_to": item.valid_to,
        "result": item.result,
        "reason": str(item.reason),
        "suggestions": item.suggestions,
    }


@router.post(
    "/organizations/{key}/members/bulk",
    response={200: MembershipBulkOut, 422: MembershipBulkRefused},
    tags=["organizations"],
)
def organization_members_bulk(request, key: str, payload: MembershipBulkIn):
    """Add many members at once: each row is judged new, unchanged or wrong.

    With `dry_run` (the default) nothing is written. Otherwise the new rows are written in
    one transaction when no row is wrong; a wrong row gives a 422 with every row's result.
    """
    require_edit(request)
    organization = selectors.organization_get(user=request.user, key=key)
    rows = [
        bulk.Row(
            line=n,
            country=row.country,
            status=row.status or "",
            valid_from=row.valid_from or "",
            valid_to=row.valid_to or "",
        )
        for n, row in enumerate(payload.rows, 1)
    ]
    judged = bulk.judge(
        user=request.user,
        organization=organization,
        rows=rows,
        default_status=payload.default_status,
        default_from=payload.default_valid_from,
        confirm_before_founding=payload.confirm_before_founding,
    )
    counts = bulk.counts(judged)
    results = [bulk_row_out(item) for item in judged]
    if payload.dry_run:
        return {"dry_run": True, "written": 0, "counts": counts, "rows": results}
    if counts[bulk.WRONG]:
        detail = [
            {"loc": ["body", "rows", item.line - 1], "msg": str(item.reason), "type": "value_error"}
            for item in judged
            if item.result == bulk.WRONG
        ]
        return Status(422, {"detail": detail, "counts": counts, "rows": results})
    created = services.membership_bulk_create(
        actor=request.user,
        organization=organization,
        rows=bulk.rows_to_write(judged),
        source=payload.source,
        confirm_before_founding=payload.confirm_before_founding,
    )
    return {"dry_run": False, "written": len(created), "counts": counts, "rows": results}


class OverlapQuery(Schema):
    a: str = ref(description="Acronym or id")
    b: str = ref(description="Acronym or id")
    as_of: Day | None = None


@router.get("/overlap", response=OverlapOut, tags=["organizations"])
def overlap(request, query: Query[OverlapQuery]):
    """States that are full members of both organizations on a day."""
    require_view(request)
    a = organization_ref(request.user, query.a, "a", "query")
    b = organization_ref(request.user, query.b, "b", "query")
    day = query.as_of or selectors.today()
    codes = list(
        selectors.shared_members(user=request.user, a=a, b=b, as_of=day).values_list(
            "iso3", flat=True
        )
    )
    return {"a": a.acronym, "b": b.acronym, "as_of": day, "count": len(codes), "iso3": codes}


# ---------------------------------------------------------------- countries


class CountryFilters(Schema):
    search: str | None = Field(
        None,
        max_length=SEARCH_MAX,
        description="ISO code, or names ignoring case and accents: the ISO names in every "
        "language of the interface, former and common names (Turkey, Burma, Swaziland)",
    )
    region: str | None = Field(None, max_length=50)
    subregion: str | None = Field(None, max_length=50)


@router.get("/countries", response=list[CountryOut], tags=["countries"])
@paginate(Paged)
def country_list(request, filters: Query[CountryFilters]):
    require_view(request)
    qs = Country.objects.visible_to(request.user)
    if filters.search:
        term = filters.search.strip()
        qs = qs.filter(search_q(term) | Q(iso3__iexact=term) | Q(iso2__iexact=term))
    if filters.region:
        qs = qs.filter(region__iexact=filters.region)
    if filters.subregion:
        qs = qs.filter(subregion__iexact=filters.subregion)
    return qs.order_by("name")


@router.get("/countries/{key}", response=CountryDetailOut, tags=["countries"])
def country_detail(request, key: str):
    require_view(request)
    return selectors.country_get(user=request.user, key=key)


class AsOf(Schema):
    as_of: Day | None = Field(None, description="YYYY-MM-DD; all spells when left out")


class CountryIn(Schema):
    iso3: str = Field(..., min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
    iso2: str = Field(..., min_length=2, max_length=2, pattern=r"^[A-Z]{2}$")
    numeric: str = Field(..., min_length=3, max_length=3, pattern=r"^[0-9]{3}$")
    name: str = Field(..., min_length=1, max_length=100)
    official_name: str = text(Country, "official_name")
    region: str = text(Country, "region")
    subregion: str = text(Country, "subregion")
    capital: str = text(Country, "capital")
    capital_lat: StrictFloat | None = Field(None, ge=-90, le=90)
    capital_lng: StrictFloat | None = Field(None, ge=-180, le=180)
    cow_code: StrictInt | None = Field(None, ge=1, le=32767)
    borders: list[Ref] = Field([], max_length=LIST_MAX, description="ISO 3166-1 alpha-3 codes")


class CountryPatch(Schema):
    version: StrictInt
    iso3: str | None = Field(None, min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
    iso2: str | None = Field(None, min_length=2, max_length=2, pattern=r"^[A-Z]{2}$")
    numeric: str | None = Field(None, min_length=3, max_length=3, pattern=r"^[0-9]{3}$")
    name: str | None = Field(None, min_length=1, max_length=100)
    official_name: str | None = text(Country, "official_name", None)
    region: str | None = text(Country, "region", None)
    subregion: str | None = text(Country, "subregion", None)
    capital: str | None = text(Country, "capital", None)
    capital_lat: StrictFloat | None = Field(None, ge=-90, le=90)
    capital_lng: StrictFloat | None = Field(None, ge=-180, le=180)
    cow_code: StrictInt | None = Field(None, ge=1, le=32767)
    borders: list[Ref] | None = Field(None, max_length=LIST_MAX)


def country_fields(user, data: dict) -> dict:
    if data.get("borders") is not None:
        data["borders"] = [country_ref(user, code, "borders") for code in data["borders"]]
    return data


@router.post("/countries", response={201: CountryDetailOut}, tags=["countries"])
def country_create(request, payload: CountryIn):
    require_edit(request)
    created = services.country_create(
        actor=request.user, **country_fields(request.user, payload.dict())
    )
    return Status(201, selectors.country_get(user=request.user, key=created.iso3))


@router.patch("/countries/{key}", response=CountryDetailOut, tags=["countries"])
def country_update(request, key: str, payload: CountryPatch):
    require_edit(request)
    country = selectors.country_get(user=request.user, key=key)
    updated = services.country_update(
        actor=request.user,
        country=country,
        expected_version=payload.version,
        **country_fields(request.user, patch_fields(payload, Country)),
    )
    return selectors.country_get(user=request.user, key=updated.iso3)


@router.delete("/countries/{key}", response={204: None}, tags=["countries"])
def country_delete(request, key: str, params: Query[Version]):
    require_edit(request)
    services.country_delete(
        actor=request.user,
        country=selectors.country_get(user=request.user, key=key),
        expected_version=params.version,
    )
    return Status(204, None)


@router.get("/countries/{key}/memberships", response=list[CountryMembershipOut], tags=["countries"])
@paginate(Paged)
def country_memberships(request, key: str, filters: Query[AsOf]):
    require_view(request)
    country = selectors.country_get(user=request.user, key=key)
    return selectors.memberships_of_country(user=request.user, country=country, as_of=filters.as_of)


# ---------------------------------------------------------------- memberships


class MembershipFilters(Schema):
    organization: str | None = ref(None)
    country: str | None = ref(None)
    status: MembershipStatus | None = None
    as_of: Day | None = None


@router.get("/memberships", response=list[MembershipOut], tags=["memberships"])
@paginate(Paged)
def membership_list(request, filters: Query[MembershipFilters]):
    require_view(request)
    qs = Membership.objects.visible_to(request.user).select_related("organization", "country")
    if filters.organization:
        qs = qs.filter(
            organization=organization_ref(
                request.user, filters.organization, "organization", "query"
            )
        )
    if filters.country:
        qs = qs.filter(country=country_ref(request.user, filters.country, "country", "query"))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.as_of:
        qs = qs.as_of(filters.as_of)
    return qs.order_by("pk")


def membership_get(request, pk: int) -> Membership:
    qs = Membership.objects.visible_to(request.user).select_related("organization", "country")
    return get_object_or_404(qs, pk=pk)


@router.get("/memberships/{pk}", response=MembershipOut, tags=["memberships"])
def membership_detail(request, pk: int):
    require_view(request)
    return membership_get(request, pk)


@router.post("/memberships", response={201: MembershipOut}, tags=["memberships"])
def membership_create(request, payload: MembershipIn):
    require_edit(request)
    data = payload.dict()
    data["organization"] = organization_ref(request.user, data["organization"], "organization")
    data["country"] = country_ref(request.user, data["country"], "country")
    return Status(201, services.membership_create(actor=request.user, **data))


@router.patch("/memberships/{pk}", response=MembershipOut, tags=["memberships"])
def membership_update(request, pk: int, payload: MembershipPatch):
    require_edit(request)
    membership = membership_get(request, pk)
    fields = patch_fields(payload, Membership)
    fields.pop("confirm_before_founding", None)
    return services.membership_update(
        actor=request.user,
        membership=membership,
        expected_version=payload.version,
        confirm_before_founding=payload.confirm_before_founding,
        **fields,
    )


@router.delete("/memberships/{pk}", response={204: None}, tags=["memberships"])
def membership_delete(request, pk: int, params: Query[Version]):
    require_edit(request)
    membership = membership_get(request, pk)
    services.membership_delete(
        actor=request.user, membership=membership, expected_version=params.version
    )
    return Status(204, None)


# ---------------------------------------------------------------- partnerships


class PartnershipFilters(Schema):
    organization: str | None = ref(None, description="Either side, acronym or id")
    status: PartnershipStatus | None = None
    priority: Priority | None = None
    classification: Classification | None = None
    review_before: Day | None = Field(None, description="Next review on or before this day")


@router.get("/partnerships", response=list[PartnershipOut], tags=["partnerships"])
@paginate(Paged)
def partnership_list(request, filters: Query[PartnershipFilters]):
    require_view(request)
    qs = selectors.partnership_list(user=request.user)
    if filters.organization:
        qs = qs.involving(
            organization_ref(request.user, filters.organization, "organization", "query")
        )
    for name in ("status", "priority", "classification"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.review_before:
        qs = qs.filter(review_on__lte=filters.review_before)
    return qs.order_by("pk")


def partnership_get(request, pk) -> Partnership:
    return get_object_or_404(selectors.partnership_list(user=request.user), pk=pk)


@router.get("/partnerships/{pk}", response=PartnershipOut, tags=["partnerships"])
def partnership_detail(request, pk: int):
    require_view(request)
    return partnership_get(request, pk)


def partnership_fields(user, data: dict) -> dict:
    for name in ("organization", "partner"):
        if name in data:
            data[name] = organization_ref(user, data[name], name)
    if data.get("basis") is not None:
        data["basis"] = documents_ref(user, data["basis"], "basis")
    if data.get("shared_with") is not None:
        data["shared_with"] = organizations_ref(user, data["shared_with"], "shared_with")
    return data


@router.post("/partnerships", response={201: PartnershipOut}, tags=["partnerships"])
def partnership_create(request, payload: PartnershipIn):
    require_edit(request)
    data = partnership_fields(request.user, payload.dict())
    created = services.partnership_create(actor=request.user, **data)
    return Status(201, partnership_get(request, created.pk))


@router.patch("/partnerships/{pk}", response=PartnershipOut, tags=["partnerships"])
def partnership_update(request, pk: int, payload: PartnershipPatch):
    require_edit(request)
    partnership = partnership_get(request, pk)
    services.partnership_update(
        actor=request.user,
        partnership=partnership,
        expected_version=payload.version,
        **partnership_fields(request.user, patch_fields(payload, Partnership)),
    )
    return partnership_get(request, pk)


@router.delete("/partnerships/{pk}", response={204: None}, tags=["partnerships"])
def partnership_delete(request, pk: int, params: Query[Version]):
    require_edit(request)
    services.partnership_delete(
        actor=request.user,
        partnership=partnership_get(request, pk),
        expected_version=params.version,
    )
    return Status(204, None)


# ---------------------------------------------------------------- persons


class PersonFilters(Schema):
    search: str | None = Field(None, max_length=SEARCH_MAX)
    organization: str | None = ref(None)
    partnership: int | None = Field(None, ge=1, le=BIGINT_MAX)


@router.get("/persons", response=list[PersonOut], tags=["persons"])
@paginate(Paged)
def person_list(request, filters: Query[PersonFilters]):
    require_view(request)
    qs = selectors.person_list(user=request.user)
    if filters.search:
        qs = qs.filter(Q(name__icontains=filters.search) | Q(title__icontains=filters.search))
    if filters.organization:
        qs = qs.filter(
            organization=organization_ref(
                request.user, filters.organization, "organization", "query"
            )
        )
    if filters.partnership:
        # Through the policy: a hidden partnership and a missing one get the same answer.
        qs = qs.filter(
            partnership=partnership_ref(request.user, filters.partnership, "partnership", "query")
        )
    return qs.order_by("pk")


def person_get(request, pk) -> Person:
    return get_object_or_404(selectors.person_list(user=request.user), pk=pk)


@router.get("/persons/{pk}", response=PersonOut, tags=["persons"])
def person_detail(request, pk: int):
    require_view(request)
    return person_get(request, pk)


def person_fields(user, data: dict) -> dict:
    if data.get("organization") is not None:
        data["organization"] = organization_ref(user, data["organization"], "organization")
    if "partnership" in data:
        data["partnership"] = partnership_ref(user, data["partnership"], "partnership")
    if data.get("shared_with") is not None:
        data["shared_with"] = organizations_ref(user, data["shared_with"], "shared_with")
    return data


@router.post("/persons", response={201: PersonOut}, tags=["persons"])
def person_create(request, payload: PersonIn):
    require_edit(request)
    created = services.person_create(
        actor=request.user, **person_fields(request.user, payload.dict())
    )
    return Status(201, person_get(request, created.pk))


@router.patch("/persons/{pk}", response=PersonOut, tags=["persons"])
def person_update(request, pk: int, payload: PersonPatch):
    require_edit(request)
    services.person_update(
        actor=request.user,
        person=person_get(request, pk),
        expected_version=payload.version,
        **person_fields(request.user, patch_fields(payload, Person)),
    )
    return person_get(request, pk)


@router.delete("/persons/{pk}", response={204: None}, tags=["persons"])
def person_delete(request, pk: int, params: Query[Version]):
    require_edit(request)
    services.person_delete(
        actor=request.user, person=person_get(request, pk), expected_version=params.version
    )
    return Status(204, None)


# ---------------------------------------------------------------- framework documents


class DocumentFilters(Schema):
    search: str | None = Field(None, max_length=SEARCH_MAX)
    kind: DocumentKind | None = None
    year: int | None = Field(None, ge=1, le=9999)
    review_before: Day | None = Field(
        None, description="Next review or expiry on or before this day"
    )


@router.get("/documents", response=list[DocumentOut], tags=["framework documents"])
@paginate(Paged)
def document_list(request, filters: Query[DocumentFilters]):
    require_view(request)
    qs = selectors.document_list(user=request.user)
    if filters.search:
        qs = qs.filter(Q(title__icontains=filters.search) | Q(key__icontains=filters.search))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.review_before:
        day = filters.review_before
        qs = qs.filter(Q(review_on__lte=day) | Q(expires_on__lte=day))
    return qs.order_by("year", "pk")


def document_get(request, pk) -> FrameworkDocument:
    return get_object_or_404(selectors.document_list(user=request.user), pk=pk)


@router.get("/documents/{pk}", response=DocumentOut, tags=["framework documents"])
def document_detail(request, pk: int):
    require_view(request)
    return document_get(request, pk)


def document_fields(user, data: dict) -> dict:
    if data.get("shared_with") is not None:
        data["shared_with"] = organizations_ref(user, data["shared_with"], "shared_with")
    return data


@router.post("/documents", response={201: DocumentOut}, tags=["framework documents"])
def document_create(request, payload: DocumentIn):
    require_edit(request)
    created = services.document_create(
        actor=request.user, **document_fields(request.user, payload.dict())
    )
    return Status(201, created)


@router.patch("/documents/{pk}", response=DocumentOut, tags=["framework documents"])
def document_update(request, pk: int, payload: DocumentPatch):
    require_edit(request)
    return services.document_update(
        actor=request.user,
        document=document_get(request, pk),
        expected_version=payload.version,
        **document_fields(request.user, patch_fields(payload, FrameworkDocument)),
    )


@router.delete("/documents/{pk}", response={204: None}, tags=["framework documents"])
def document_delete(request, pk: int, params: Query[Version]):
    require_edit(request)
    services.document_delete(
        actor=request.user, document=document_get(request, pk), expected_version=params.version
    )
    return Status(204, None)
