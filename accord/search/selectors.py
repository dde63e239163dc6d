"""The workspace-wide search: hits, count and facets, through the policy, in a fixed number of
queries whatever the number of hits or kinds.

Visibility comes first: the rows the engine matches are kept only where the record is in its
kind's `visible(user)` (a correlated EXISTS per kind, OR-ed), in the same SQL that ranks,
counts and groups the facets. A record the user may not see is never a hit, a count or a
facet value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accord.core import extensions, policy

from .backends import HIT_END, HIT_START, backend
from .query import Query, parse

FACET_SIZE = 10
LIMIT_MAX = 100
FACETS = ("kind", "theme", "organization", "year")


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    theme: int | None = None
    organization: int | None = None
    year: int | None = None


@dataclass
class Hit:
    kind: str
    kind_label: str
    id: int
    title: str
    snippet: SafeString
    url: str


@dataclass
class FacetValue:
    value: str | int
    label: str
    count: int


@dataclass
class Result:
    query: Query
    count: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


PARAGRAPH_BREAK = re.compile(r"\s*\n\s*\n\s*")
LINE_BREAK = re.compile(r"\s*\n\s*")


def highlight(snippet: str | None) -> SafeString:
    """The snippet as HTML: its text escaped, the engine's hit marks as <mark>, and the
    document's paragraphs (SearchDocument.join) set apart by a middle dot, as a line of text
    would run them together."""
    text = PARAGRAPH_BREAK.sub(" · ", snippet or "")
    text = escape(LINE_BREAK.sub(" ", text))
    return mark_safe(text.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>"))  # noqa: S308


def visibility(user, prefix: str) -> Q | None:
    """Entries of a record the user may see; None when there is none."""
    condition = Q()
    any_kind = False
    for kind in extensions.search_kinds():
        visible = kind.visible(user)
        if visible is None:
            continue
        records = visible.filter(pk=OuterRef(prefix + "object_id")).values("pk")
        condition |= Q(**{prefix + "kind": kind.key}) & Exists(records)
        any_kind = True
    return condition if any_kind else None


def _filtered(qs, prefix: str, filters: Filters, leave_out: str = ""):
    if filters.kind is not None and leave_out != "kind":
        qs = qs.filter(**{prefix + "kind": filters.kind})
    if filters.year is not None and leave_out != "year":
        qs = qs.filter(**{prefix + "year": filters.year})
    if filters.theme is not None and leave_out != "theme":
        qs = qs.filter(**{prefix + "themes__theme_id": filters.theme})
    if filters.organization is not None and leave_out != "organization":
        qs = qs.filter(**{prefix + "organizations__organization_id": filters.organization})
    return qs


def _facet_rows(qs, column: str, size: int | None = FACET_SIZE) -> list[tuple]:
    rows = (
        qs.filter(**{column + "__isnull": False})
        .values(column)
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", column)
    )
    if size is not None:
        rows = rows[:size]
    return [(row[column], row["n"]) for row in rows]


def _labels(user, facets: dict[str, list[tuple]]) -> dict[str, dict]:
    """Names of the facets' themes and organizations, through the policy (one query each)."""
    themes = apps.get_model("taxonomy", "Theme").objects.visible_to(user)
    organizations = apps.get_model(settings.ACCORD_ORGANIZATION_MODEL).objects.visible_to(user)
    labels: dict[str, dict] = {}
    theme_ids = [value for value, _n in facets["theme"]]
    labels["theme"] = (
        dict(themes.filter(pk__in=theme_ids).values_list("pk", "name")) if theme_ids else {}
    )
    org_ids = [value for value, _n in facets["organization"]]
    labels["organization"] = (
        dict(organizations.filter(pk__in=org_ids).values_list("pk", "acronym")) if org_ids else {}
    )
    return labels


def search(
    user, text: str, *, filters: Filters | None = None, limit: int = 20, offset: int = 0
) -> Result:
    """The hits of `text` the user may see, best first, with the count and the facets.

    Raises query.QueryError for a query that cannot be searched."""
    query = parse(text)
    filters = filters or Filters()
    kinds = {kind.key: kind for kind in extensions.search_kinds()}
    empty = Result(query=query, count=0, hits=[], facets={name: [] for name in FACETS})
    if not policy.can_view(user) or (filters.kind is not None and filters.kind not in kinds):
        return empty
    engine = backend()
    p = engine.prefix
    condition = visibility(user, p)
    if condition is None:
        return empty
    matching = engine.matching(query).filter(condition)
    results = _filtered(matching, p, filters)
    # Each facet counts under the other filters, not its own: the values stay choices.
    columns = {
        "kind": p + "kind",
        "theme": p + "themes__theme_id",
        "organization": p + "organizations__organization_id",
        "year": p + "year",
    }
    rows = {
        name: _facet_rows(
            _filtered(matching, p, filters, leave_out=name),
            column,
            # Every kind: the count is read off them (one pass over the matches fewer).
            size=None if name == "kind" else FACET_SIZE,
        )
        for name, column in columns.items()
    }
    count = sum(n for value, n in rows["kind"] if filters.kind in (None, value))
    hits = []
    if count and offset < count:
        page = engine.ranked(results, query).values(
            p + "kind", p + "object_id", p + "title", p + "url", "snippet"
        )[offset : offset + limit]
        for row in page:
            kind = kinds.get(row[p + "kind"])
            hits.append(
                Hit(
                    kind=row[p + "kind"],
                    kind_label=str(kind.label) if kind else row[p + "kind"],
                    id=row[p + "object_id"],
                    title=row[p + "title"],
                    snippet=highlight(row["snippet"]),
                    url=row[p + "url"],
                )
            )
    labels = _labels(user, rows)
    facets = {
        "kind": [
            FacetValue(value, str(kinds[value].label), n)
            for value, n in rows["kind"][:FACET_SIZE]
            if value in kinds
        ],
        "theme": [
            FacetValue(value, labels["theme"][value], n)
            for value, n in rows["theme"]
            if value in labels["theme"]
        ],
        "organization": [
            FacetValue(value, labels["organization"][value], n)
            for value, n in rows["organization"]
            if value in labels["organization"]
        ],
        # The most frequent years, latest first.
        "year": [
            FacetValue(value, str(value), n)
            for value, n in sorted(rows["year"], key=lambda row: row[0], reverse=True)
        ],
    }
    return Result(query=query, count=count, hits=hits, facets=facets)
