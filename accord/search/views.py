"""The search page: the hits of the query, its facets as filters, pages of results."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from accord.core import extensions
from accord.core.views import PolicyMixin

from . import selectors
from .query import QUERY_MAX, QueryError

PAGE_SIZE = 20
# Pages beyond this are not offered: refine the query instead.
PAGE_MAX = 50
FILTERS = ("kind", "theme", "organization", "year")


def _int(value: str | None) -> int | None:
    if value and value.isdecimal() and len(value) <= 12:
        return int(value)
    return None


def filters_from(params) -> selectors.Filters:
    """The filters of the page's address; a value that is not one (an edited link) is none."""
    kinds = {kind.key for kind in extensions.search_kinds()}
    kind = params.get("kind")
    return selectors.Filters(
        kind=kind if kind in kinds else None,
        theme=_int(params.get("theme")),
        organization=_int(params.get("organization")),
        year=_int(params.get("year")),
    )


def address(q: str, filters: selectors.Filters, **changes) -> str:
    values = {"q": q, **{name: getattr(filters, name) for name in FILTERS}, **changes}
    return "?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})


class SearchView(PolicyMixin, View):
    def get(self, request):
        q = request.GET.get("q", "").replace("\x00", "")[: QUERY_MAX * 2]
        filters = filters_from(request.GET)
        page = min(max(_int(request.GET.get("page")) or 1, 1), PAGE_MAX)
        context = {
            "q": q,
            "chosen": [
                (n, getattr(filters, n)) for n in FILTERS if getattr(filters, n) is not None
            ],
            "result": None,
            "error": "",
            "title": _("Search"),
        }
        if q.strip():
            try:
                result = selectors.search(
                    request.user,
                    q,
                    filters=filters,
                    limit=PAGE_SIZE,
                    offset=(page - 1) * PAGE_SIZE,
                )
            except QueryError as exc:
                context["error"] = str(exc)
            else:
                context["result"] = result
                context["facets"] = self.facets(q, filters, result)
                pages = min((result.count + PAGE_SIZE - 1) // PAGE_SIZE, PAGE_MAX)
                context["page"] = {
                    "number": page,
                    "count": pages,
                    "first": (page - 1) * PAGE_SIZE + 1,
                    "last": min(page * PAGE_SIZE, result.count),
                    "previous": address(q, filters, page=page - 1) if page > 1 else "",
                    "next": address(q, filters, page=page + 1) if page < pages else "",
                }
        return render(request, "search/search.html", context)

    @staticmethod
    def facets(q, filters, result) -> list[dict]:
        titles = {
            "kind": _("Kind of record"),
            "theme": _("Theme"),
            "organization": _("Organization"),
            "year": _("Year"),
        }
        facets = []
        for name in FILTERS:
            chosen = getattr(filters, name)
            values = [
                {
                    "label": value.label,
                    "count": value.count,
                    "active": value.value == chosen,
                    "url": address(
                        q, filters, **{name: None if value.value == chosen else value.value}
                    ),
                }
                for value in result.facets[name]
            ]
            if values:
                facets.append(
                    {
                        "name": name,
                        "title": titles[name],
                        "values": values,
                        "clear": address(q, filters, **{name: None}) if chosen is not None else "",
                    }
                )
        return facets
