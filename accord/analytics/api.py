"""REST endpoints of the analyses: thin, parse → selector → pure function → schema."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema

from accord.core import policy
from accord.core.api import invalid, require_view
from accord.core.apinput import Day, ref
from accord.registry import selectors as registry
from accord.registry.api import organization_ref
from accord.registry.models import Organization
from accord.registry.querysets import today

from . import analysis, landscape, selectors

router = Router()


def require_staff(request) -> None:
    """The analyses are for the home organization's staff: a partner's focal point gets 403."""
    require_view(request)
    if not policy.is_home_staff(request.user):
        raise PermissionDenied("The analyses are for the home organization's staff.")


YEAR_MIN = 1000
YEAR_MAX = 2200
YEARS_MAX = 500


class HistoryQuery(Schema):
    source: str = Field(
        selectors.ENTERED,
        max_length=40,
        description="“entered” (the memberships entered in Accord) or a data set's key "
        "(cow-igo-v3)",
    )
    from_: int | None = Field(
        None, alias="from", ge=YEAR_MIN, le=YEAR_MAX, description="First year (inclusive)"
    )
    to: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Last year (inclusive)")


class HistoryYear(Schema):
    year: int
    full: int
    associate: int
    observer: int
    partner: int
    suspended: int


class HistoryOut(Schema):
    organization: str
    source: str
    first_year: int
    last_year: int
    coverage: str = Field(..., description="What the source covers, where it stops")
    items: list[HistoryYear]


@router.get(
    "/organizations/{key}/membership-history",
    response=HistoryOut,
    tags=["analytics"],
)
def membership_history(request, key: str, query: Query[HistoryQuery]):
    """Members of the organization in each year, by status: a state counts in a year when its
    spell overlaps that year."""
    require_view(request)
    user = request.user
    organization = registry.organization_get(user=user, key=key)
    try:
        first, last = selectors.default_years(user, organization, query.source)
    except selectors.UnknownSource:
        known = ", ".join(k for k, _label in selectors.sources(user))
        raise invalid(
            "source", f"No source “{query.source}”; the sources are {known}.", "query"
        ) from None
    first = query.from_ if query.from_ is not None else first
    last = query.to if query.to is not None else last
    if last < first:
        raise invalid("to", "“to” is before “from”.", "query")
    if last - first + 1 > YEARS_MAX:
        raise invalid("from", f"At most {YEARS_MAX} years at a time.", "query")
    spells = selectors.year_spells(user, organization, query.source, first, last)
    if query.source == selectors.ENTERED:
        coverage = "The memberships entered in Accord, with their dates."
    else:
        dataset = selectors.dataset_get(user, query.source)
        coverage = f"{dataset.name} covers {dataset.first_year}–{dataset.last_year}."
    return {
        "organization": organization.acronym,
        "source": query.source,
        "first_year": first,
        "last_year": last,
        "coverage": coverage,
        "items": analysis.membership_history(spells, first, last),
    }


# ---------------------------------------------------------------- overlap and bridges

ORGS_MAX = 60
SOURCE_HELP = "“entered” (the memberships entered in Accord) or a data set's key (cow-igo-v3)"


def checked_source(user, source: str) -> str:
    if source != selectors.ENTERED:
        try:
            selectors.dataset_get(user, source)
        except selectors.UnknownSource:
            known = ", ".join(k for k, _label in selectors.sources(user))
            raise invalid(
                "source", f"No source “{source}”; the sources are {known}.", "query"
            ) from None
    return source


def organizations_named(user, keys: list[str], field: str) -> list[Organization]:
    """The organizations, in the order given; a 422 naming the first that is missing."""
    organizations, missing = selectors.organizations_by_keys(user, keys)
    if missing:
        raise invalid(field, f"No organization “{missing[0]}”.", "query")
    return organizations


class OverlapQuery(Schema):
    orgs: str = Field(
        ...,
        max_length=2000,
        description=f"Acronyms or ids, comma-separated: 2 to {ORGS_MAX} organizations",
    )
    as_of: Day | None = Field(None, description="YYYY-MM-DD; today when left out")
    source: str = Field(selectors.ENTERED, max_length=40, description=SOURCE_HELP)


class OverlapOrganization(Schema):
    acronym: str
    name: str
    members: int


class OverlapMatrixOut(Schema):
    as_of: datetime.date
    source: str
    organizations: list[OverlapOrganization]
    shared: list[list[int]] = Field(..., description="Full members in both, row × column")
    jaccard: list[list[float]] = Field(
        ..., description="Shared over the states in either, 0 to 1, rounded to 4 places"
    )


def overlap_matrix(user, organizations, source: str, day: datetime.date) -> dict:
    ids = [o.pk for o in organizations]
    pairs = selectors.full_member_pairs(user, ids, source, day)
    matrix, _columns = analysis.membership_matrix(pairs, ids)
    shared, jaccard = analysis.overlap(matrix)
    return {
        "as_of": day,
        "source": source,
        "organizations": [
            {"acronym": o.acronym, "name": o.name, "members": int(shared[i, i])}
            for i, o in enumerate(organizations)
        ],
        "shared": shared.tolist(),
        "jaccard": [[round(float(v), 4) for v in row] for row in jaccard],
    }


@router.get("/analytics/overlap", response=OverlapMatrixOut, tags=["analytics"])
def overlap(request, query: Query[OverlapQuery]):
    """The full members shared by each pair of organizations on a day (count and Jaccard)."""
    require_staff(request)
    user = request.user
    keys = [key.strip() for key in query.orgs.split(",") if key.strip()]
    if not 2 <= len(keys) <= ORGS_MAX:
        raise invalid("orgs", f"Name 2 to {ORGS_MAX} organizations, separated by commas.", "query")
    organizations = organizations_named(user, keys, "orgs")
    source = checked_source(user, query.source)
    return overlap_matrix(user, organizations, source, query.as_of or today())


class BridgesQuery(Schema):
    a: str = ref(description="Acronym or id")
    b: str = ref(description="Acronym or id")
    as_of: Day | None = Field(None, description="YYYY-MM-DD; today when left out")
    source: str = Field(selectors.ENTERED, max_length=40, description=SOURCE_HELP)


class StateOut(Schema):
    iso3: str
    name: str


class BridgesOut(Schema):
    a: str
    b: str
    as_of: datetime.date
    source: str
    count: int
    items: list[StateOut]


@router.get("/analytics/bridges", response=BridgesOut, tags=["analytics"])
def bridges(request, query: Query[BridgesQuery]):
    """The bridge states: full members of both organizations on a day."""
    require_staff(request)
    user = request.user
    a = organization_ref(user, query.a, "a", "query")
    b = organization_ref(user, query.b, "b", "query")
    source = checked_source(user, query.source)
    day = query.as_of or today()
    states = landscape.bridge_states(user, a, b, source, day)
    items = [{"iso3": c.iso3, "name": c.name} for c in states]
    return {
        "a": a.acronym,
        "b": b.acronym,
        "as_of": day,
        "source": source,
        "count": len(items),
        "items": items,
    }


class StatePairQuery(Schema):
    states: str = Field(
        ..., max_length=100, description="Two ISO codes of states, comma-separated: FRA,DEU"
    )
    as_of: Day | None = Field(None, description="YYYY-MM-DD; today when left out")
    source: str = Field(selectors.ENTERED, max_length=40, description=SOURCE_HELP)


class OrganizationItem(Schema):
    acronym: str
    name: str


class StatePairOut(Schema):
    a: str
    b: str
    as_of: datetime.date
    source: str
    count: int
    items: list[OrganizationItem]


@router.get("/analytics/state-pair", response=StatePairOut, tags=["analytics"])
def state_pair(request, query: Query[StatePairQuery]):
    """The organizations two states are both full members of on a day."""
    require_staff(request)
    user = request.user
    codes = [code.strip() for code in query.states.split(",") if code.strip()]
    if len(codes) != 2:
        raise invalid("states", "Name two states, separated by a comma: FRA,DEU.", "query")
    states = []
    for code in codes:
        try:
            states.append(registry.country_get(user=user, key=code))
        except Http404:
            raise invalid("states", f"No country with the code “{code}”.", "query") from None
    source = checked_source(user, query.source)
    day = query.as_of or today()
    organizations = landscape.shared_organizations(user, *states, source, day)
    items = [{"acronym": o.acronym, "name": o.name} for o in organizations]
    return {
        "a": states[0].iso3,
        "b": states[1].iso3,
        "as_of": day,
        "source": source,
        "count": len(items),
        "items": items,
    }


# ---------------------------------------------------------------- the neighbourhood


class NeighbourhoodQuery(Schema):
    as_of: Day | None = Field(None, description="YYYY-MM-DD; today when left out")
    source: str = Field(selectors.ENTERED, max_length=40, description=SOURCE_HELP)


class NeighbourOrganization(Schema):
    acronym: str
    name: str
    partnership: str | None = Field(
        ..., description="The status of the home organization's partnership with it, or null"
    )


class NeighbourOut(Schema):
    iso3: str
    name: str
    borders: list[str] = Field(..., description="The home organization's members it borders")
    organizations: list[NeighbourOrganization]


class NeighbourhoodOut(Schema):
    home: str
    as_of: datetime.date
    source: str
    members: int
    count: int
    items: list[NeighbourOut]


@router.get("/analytics/neighbourhood", response=NeighbourhoodOut, tags=["analytics"])
def neighbourhood(request, query: Query[NeighbourhoodQuery]):
    """The states bordering the home organization's area by land but outside it, the outside
    organizations they are full members of, and the home organization's partnerships."""
    from .landscape import neighbourhood as compute

    require_staff(request)
    user = request.user
    source = checked_source(user, query.source)
    result = compute(user, query.as_of or today(), source)
    if result is None:
        raise Http404("This workspace has no home organization.")
    items = [
        {
            "iso3": n.country.iso3,
            "name": n.country.name,
            "borders": [c.iso3 for c in n.borders],
            "organizations": [
                {"acronym": o.acronym, "name": o.name, "partnership": status}
                for o, status in n.organizations
            ],
        }
        for n in result.items
    ]
    return {
        "home": result.home.acronym,
        "as_of": result.day,
        "source": source,
        "members": result.members,
        "count": len(items),
        "items": items,
    }


# ---------------------------------------------------------------- the engagement network


class NetworkQuery(Schema):
    from_: Day | None = Field(
        None, alias="from", description="First day (YYYY-MM-DD); a year before `to` if left out"
    )
    to: Day | None = Field(None, description="Last day (YYYY-MM-DD); today if left out")
    shares: bool = Field(True, description="Count practices shared as well as meetings")


class NetworkNode(Schema):
    acronym: str
    name: str
    degree: int = Field(..., description="Organizations it met")
    strength: int = Field(..., description="Meetings and shares with others, summed over edges")
    betweenness: float
    community: int


class NetworkEdge(Schema):
    source: str
    target: str
    weight: int
    meetings: int
    shares: int


class NetworkOut(Schema):
    first: datetime.date
    last: datetime.date
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


def period(first, last, years: int) -> tuple[datetime.date, datetime.date]:
    """The period asked for: to today, from `years` before its end, when left out."""
    last = last or today()
    if first is None:
        try:
            first = last.replace(year=last.year - years)
        except ValueError:  # 29 February
            first = last.replace(year=last.year - years, day=28)
    return first, last


@router.get("/analytics/network", response=NetworkOut, tags=["analytics"])
def network(request, query: Query[NetworkQuery]):
    """Organizations as nodes, meetings (and practices shared) between them as weighted edges,
    over a period: degree, strength, betweenness and communities (Louvain)."""
    from .landscape import network as compute

    require_staff(request)
    first, last = period(query.from_, query.to, 1)
    if last < first:
        raise invalid("to", "“to” is before “from”.", "query")
    if (last - first).days > 366 * 100:
        raise invalid("from", "At most a hundred years at a time.", "query")
    result = compute(request.user, first, last, shares=query.shares)
    return {
        "first": first,
        "last": last,
        "nodes": [
            {
                "acronym": row["organization"].acronym,
                "name": row["organization"].name,
                "degree": row["degree"],
                "strength": row["strength"],
                "betweenness": round(row["betweenness"], 6),
                "community": row["community"],
            }
            for row in result.nodes()
        ],
        "edges": [
            {
                "source": e["source"].acronym,
                "target": e["target"].acronym,
                "weight": e["weight"],
                "meetings": e["meetings"],
                "shares": e["shares"],
            }
            for e in result.edges()
        ],
    }


# ---------------------------------------------------------------- comparative advantage


class AdvantageQuery(Schema):
    theme: str | None = Field(
        None, max_length=60, description="A theme's slug: who to work with on it, best first"
    )
    from_: Day | None = Field(
        None, alias="from", description="First day (YYYY-MM-DD); five years before `to`"
    )
    to: Day | None = Field(None, description="Last day (YYYY-MM-DD); today if left out")


class AdvantageCell(Schema):
    organization: str
    theme: str
    score: int = Field(
        ..., description="The evidence counted: mandate, meetings, practices, actions"
    )
    mandate: int
    meetings: int
    practices: int
    actions: int


class AdvantageOut(Schema):
    first: datetime.date
    last: datetime.date
    count: int
    items: list[AdvantageCell]


@router.get("/analytics/advantage", response=AdvantageOut, tags=["analytics"])
def advantage(request, query: Query[AdvantageQuery]):
    """Organizations × themes from mandates, meetings, practices and actions the user may see;
    with `theme`, the organizations to work with on it, strongest first (the home left out)."""
    from accord.taxonomy.models import Theme

    from .landscape import comparative_advantage

    require_staff(request)
    user = request.user
    first, last = period(query.from_, query.to, 5)
    if last < first:
        raise invalid("to", "“to” is before “from”.", "query")
    theme = None
    if query.theme is not None:
        theme = Theme.objects.visible_to(user).filter(slug=query.theme).first()
        if theme is None:
            raise invalid("theme", f"No theme “{query.theme}”.", "query")
    result = comparative_advantage(user, first, last)

    def cell(organization, theme, c):
        return {
            "organization": organization.acronym,
            "theme": theme.slug,
            "score": c["score"],
            "mandate": c["mandate"],
            "meetings": c["meeting"],
            "practices": c["practice"],
            "actions": c["action"],
        }

    if theme is not None:
        items = [cell(o, theme, c) for o, c in result.best_on(theme)]
    else:
        items = [
            cell(organization, t, c)
            for organization, cells, _total in result.rows(limit=10_000)
            for t, c in zip(result.themes, cells, strict=True)
            if c is not None
        ]
    return {"first": first, "last": last, "count": len(items), "items": items}
