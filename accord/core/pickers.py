"""Server-side search for pickers (accord.core.widgets): GET /pick/<kind>/?q=&page=.

Each app registers its kinds in its AppConfig.ready() (core names no app). A kind says which
rows a user may pick (through the visibility policy), how a query narrows and orders them, and
how a row is labelled, so that the page and the search show the same text.

The answer is ``{"results": [{"value": "...", "text": "..."}], "more": bool}``, 20 rows a page,
one query whatever the size of the data. Bad input is a 400 naming the parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import View

from .views import PolicyMixin

PAGE_SIZE = 20
PAGE_MAX = 500
QUERY_MAX = 100


@dataclass(frozen=True)
class PickerKind:
    """What a picker of one kind searches."""

    name: str
    # The rows a user may pick: `visible_to(user)`.
    rows: Callable
    # (queryset, query) -> the rows matching a non-empty query, best first.
    search: Callable
    # A row's text, the same in the page and in the search.
    label: Callable = str
    # Related rows the label reads (select_related), so labels cost no query each.
    related: tuple[str, ...] = ()
    # Fields a picker may use as its value besides the primary key (to_field_name).
    keys: tuple[str, ...] = field(default_factory=tuple)

    def prepare(self, queryset):
        return queryset.select_related(*self.related) if self.related else queryset


KINDS: dict[str, PickerKind] = {}


def register(kind: PickerKind) -> None:
    KINDS[kind.name] = kind


def get_kind(name: str) -> PickerKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"No picker kind {name!r}: register it in an AppConfig.ready()") from None


def bad_request(message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=400)


class PickView(PolicyMixin, View):
    """One page of the rows of a kind that match ?q=, as the user may see them."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, kind):
        picker = KINDS.get(kind)
        if picker is None:
            return JsonResponse({"detail": _("No such list to pick from.")}, status=404)
        query = request.GET.get("q", "").strip()
        if len(query) > QUERY_MAX:
            return bad_request(_("q: at most %(max)s characters.") % {"max": QUERY_MAX})
        if "\x00" in query:
            return bad_request(_("q: null characters are not allowed."))
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 0
        if not 1 <= page <= PAGE_MAX:
            return bad_request(_("page: a whole number from 1 to %(max)s.") % {"max": PAGE_MAX})
        key = request.GET.get("key", "pk")
        if key != "pk" and key not in picker.keys:
            return bad_request(
                _("key: one of %(keys)s.") % {"keys": ", ".join(("pk", *picker.keys))}
            )
        rows = picker.prepare(picker.rows(request.user))
        if query:
            rows = picker.search(rows, query)
        start = (page - 1) * PAGE_SIZE
        found = list(rows[start : start + PAGE_SIZE + 1])
        results = [
            {"value": str(obj.pk if key == "pk" else getattr(obj, key)), "text": picker.label(obj)}
            for obj in found[:PAGE_SIZE]
        ]
        response = JsonResponse(
            {"results": results, "more": len(found) > PAGE_SIZE},
            json_dumps_params={"ensure_ascii": False},
        )
        response["Cache-Control"] = "private, no-store"
        return response
