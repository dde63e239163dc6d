"""GET /api/v1/search: the workspace-wide search (wired in accord/api.py)."""

from __future__ import annotations

from django.http import Http404
from ninja import Field, Query, Router, Schema

from accord.core import extensions
from accord.core.api import invalid, require_view
from accord.core.apinput import BIGINT_MAX, REF_MAX
from accord.registry import selectors as registry
from accord.taxonomy.selectors import theme_get

from . import selectors
from .query import QueryError

router = Router(tags=["search"])


class SearchParams(Schema):
    # Checked by the parser (query.py), whose messages say what is wrong with it.
    q: str = Field("", description='Words (all must match) and "quoted phrases"; 200 at most')
    kind: str | None = Field(None, max_length=40, description="Kind of record (facet `kind`)")
    theme: str | None = Field(None, max_length=60, description="Theme key or id")
    organization: str | None = Field(None, max_length=REF_MAX, description="Acronym or id")
    year: int | None = Field(None, ge=1, le=9999)
    limit: int = Field(20, ge=1, le=selectors.LIMIT_MAX)
    offset: int = Field(0, ge=0, le=BIGINT_MAX)


class HitOut(Schema):
    kind: str
    id: int
    title: str
    snippet: str = Field(
        description="HTML: the text escaped, the words found marked with <mark>…</mark>"
    )
    url: str


class FacetValueOut(Schema):
    value: str | int
    label: str
    count: int


class FacetsOut(Schema):
    kind: list[FacetValueOut]
    theme: list[FacetValueOut]
    organization: list[FacetValueOut]
    year: list[FacetValueOut]


class SearchOut(Schema):
    count: int
    items: list[HitOut]
    facets: FacetsOut


def filters_of(user, params: SearchParams) -> selectors.Filters:
    kinds = {kind.key for kind in extensions.search_kinds()}
    if params.kind is not None and params.kind not in kinds:
        raise invalid(
            "kind", f"No kind “{params.kind}”: one of {', '.join(sorted(kinds))}.", "query"
        )
    theme = organization = None
    if params.theme:
        try:
            theme = theme_get(user, params.theme).pk
        except Http404:
            raise invalid("theme", f"No theme “{params.theme}”.", "query") from None
    if params.organization:
        try:
            organization = registry.organization_get(user=user, key=params.organization).pk
        except Http404:
            raise invalid(
                "organization", f"No organization “{params.organization}”.", "query"
            ) from None
    return selectors.Filters(
        kind=params.kind, theme=theme, organization=organization, year=params.year
    )


@router.get("/search", response=SearchOut)
def search(request, params: Query[SearchParams]):
    """Search every kind of record you may see: ranked (title hits first), with highlighted
    snippets and facets (kind, theme, organization, year) counted over what you may see.

    A query that is empty, longer than 200 characters or without a word to look for is a 422
    naming `q`. English stemming: "mediate" finds "mediation"."""
    require_view(request)
    user = request.user
    filters = filters_of(user, params)
    try:
        result = selectors.search(
            user, params.q, filters=filters, limit=params.limit, offset=params.offset
        )
    except QueryError as exc:
        raise invalid("q", str(exc), "query") from None
    return {
        "count": result.count,
        "items": [
            {
                "kind": hit.kind,
                "id": hit.id,
                "title": hit.title,
                "snippet": str(hit.snippet),
                "url": hit.url,
            }
            for hit in result.hits
        ],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in result.facets.items()
        },
    }
