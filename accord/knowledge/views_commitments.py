"""The commitment pages: thin views over selectors and services.

The list groups the commitments by framework document; a commitment's page shows what
implements it over time (only what the reader may see), a chart of it by year drawn as SVG
on the server, and the engagement with each organization it names since the document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accord.core import policy
from accord.core.exceptions import ConflictError
from accord.core.history import history_page
from accord.core.pagecache import KeptPageMixin
from accord.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    PolicyMixin,
)
from accord.registry.models import FrameworkDocument
from accord.taxonomy.choices import Phase

from . import selectors, services
from .forms_commitments import (
    CommitmentFilterSet,
    CommitmentForm,
    LinkForm,
    RecordLinkForm,
    UnlinkForm,
)
from .tables_commitments import CommitmentTable

PHASES = dict(Phase.choices)
KIND_LABELS = {
    "meeting": gettext_lazy("Meeting"),
    "action": gettext_lazy("Action"),
    "practice": gettext_lazy("Practice"),
    "request": gettext_lazy("Request"),
}
KIND_ICONS = {
    "meeting": "bi-people",
    "action": "bi-check2-square",
    "practice": "bi-lightbulb",
    "request": "bi-question-circle",
}


def record_url(record) -> str | None:
    """The record's page; None while its app has no page for it."""
    try:
        return record.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return None


def posted_next(request, default: str) -> str:
    """The form's `next` when it is an address on this site, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# ---------------------------------------------------------------- the list


class CommitmentListView(ObjectListView):
    template_name = "knowledge/commitment_list.html"
    filterset_class = CommitmentFilterSet
    table_class = CommitmentTable
    title = gettext_lazy("Commitments")
    add_url_name = "knowledge:commitment_add"
    export_url_name = "knowledge:commitment_export"
    export_filename = "commitments"

    def get_queryset(self, request):
        user = request.user
        return selectors.commitment_activity(
            user, selectors.commitment_list(user), timezone.localdate()
        )

    def page_ready(self, request, table) -> None:
        for row in table.page.object_list:
            row.record.last_day = selectors.last_activity(row.record)

    def extra_context(self, request) -> dict:
        return {"section": "commitments"}


# ---------------------------------------------------------------- a commitment's page


@dataclass(frozen=True)
class Bar:
    """One year of the chart, in the SVG's units."""

    year: int
    count: int
    x: float
    y: float
    width: float
    height: float
    # The middle of the bar, where its number and its year are written; its number's line.
    cx: float
    label_y: float


CHART_WIDTH, CHART_HEIGHT, CHART_BASE = 600, 160, 140


def year_chart(activities) -> dict | None:
    """Activities per year, from the first year to the last (years without any included),
    as bars of an SVG of CHART_WIDTH × CHART_HEIGHT; None without a dated activity."""
    counts = Counter(a.date.year for a in activities if a.date)
    if not counts:
        return None
    years = list(range(min(counts), max(counts) + 1))
    top = max(counts.values())
    slot = CHART_WIDTH / len(years)
    width = min(max(slot * 0.7, 1), 48)
    room = CHART_BASE - 16  # the tallest bar leaves room for its number above it
    bars = []
    for index, year in enumerate(years):
        count = counts.get(year, 0)
        height = room * count / top
        bars.append(
            Bar(
                year=year,
                count=count,
                x=round(index * slot + (slot - width) / 2, 1),
                y=round(CHART_BASE - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                cx=round(index * slot + slot / 2, 1),
                label_y=round(CHART_BASE - height - 4, 1),
            )
        )
    # Every year named when they fit, else about ten of them.
    step = max(1, -(-len(years) // 10))
    return {
        "bars": bars,
        "labelled": {bar.year for i, bar in enumerate(bars) if i % step == 0 or i == len(bars) - 1},
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "base": CHART_BASE,
        "top": top,
    }


def timeline(activities) -> list[dict]:
    """The activities by year, latest first; undated ones last."""
    years: dict = {}
    for activity in activities:
        year = activity.date.year if activity.date else None
        years.setdefault(year, []).append(
            {
                "activity": activity,
                "label": KIND_LABELS[activity.kind],
                "icon": KIND_ICONS[activity.kind],
                "url": record_url(activity.record),
            }
        )
    ordered = sorted((y for y in years if y is not None), reverse=True)
    if None in years:
        ordered.append(None)
    return [{"year": year, "entries": years[year]} for year in ordered]


class CommitmentDetailView(PolicyMixin, KeptPageMixin, View):
    def get(self, request, pk):
        user = request.user
        commitment = selectors.commitment_get(user, pk)
        activities = selectors.commitment_activities(user, commitment)
        today = timezone.localdate()
        stale = selectors.stale_commitments(user, today).filter(pk=commitment.pk).exists()
        organizations = list(commitment.organizations.all())
        _page, changes = history_page(commitment, user=user, per_page=5, count=False)
        editable = policy.can_edit(user)
        context = {
            "object": commitment,
            "commitment": commitment,
            "document": commitment.document,
            "themes": list(commitment.themes.all()),
            "phases": [PHASES[p] for p in commitment.phases if p in PHASES],
            "organizations": organizations,
            "activities": activities,
            "last_activity": max((a.date for a in activities if a.date), default=None),
            "timeline": timeline(activities),
            "chart": year_chart(activities),
            "stale": stale,
            "engagements": selectors.commitment_engagements(user, commitment)
            if organizations
            else [],
            "link_form": LinkForm(user=user, auto_id="id_link_%s") if editable else None,
            "changes": changes,
        }
        return render(request, "knowledge/commitment_detail.html", context)


# ---------------------------------------------------------------- editing


class CommitmentObject:
    """How the commitment edit, delete and history pages find their record."""

    instance_name = "commitment"

    def get_object(self, request, pk=None):
        return selectors.commitment_get(request.user, pk) if pk else None


class CommitmentEditView(CommitmentObject, ObjectEditView):
    form_class = CommitmentForm
    template_name = "knowledge/commitment_form.html"
    create_service = staticmethod(services.commitment_create)
    update_service = staticmethod(services.commitment_update)

    def get_initial(self, request):
        """A commitment added from a document's page (?document=) starts in that document."""
        if self.kwargs.get("pk"):
            return {}
        key = request.GET.get("document", "")
        if not key.isdecimal() or len(key) > 18:
            return {}
        document = FrameworkDocument.objects.visible_to(request.user).filter(pk=int(key)).first()
        return {"document": document.pk} if document is not None else {}

    def service_fields(self, form, obj):
        fields = form.service_fields()
        if obj is not None:
            fields.pop("document", None)  # a commitment stays in its document
        return fields

    def context(self, request, form, obj):
        context = super().context(request, form, obj)
        if obj is None:
            context["title"] = _("Add a commitment")
            context["cancel_url"] = self.cancel_url(request, form)
        else:
            where = obj.reference or obj.text[:60]
            context["title"] = _("Edit the commitment “%(commitment)s”") % {
                "commitment": f"{obj.document.title}, {where}"
            }
        return context

    def cancel_url(self, request, form) -> str:
        """Back to the document it was opened from, else to the list."""
        value = form["document"].value()
        if value not in (None, "") and str(value).isdecimal() and len(str(value)) < 19:
            document = (
                FrameworkDocument.objects.visible_to(request.user).filter(pk=int(value)).first()
            )
            if document is not None:
                return document.get_absolute_url()
        return reverse("knowledge:commitment_list")


class CommitmentDeleteView(CommitmentObject, ObjectDeleteView):
    success_url_name = "knowledge:commitment_list"
    delete_service = staticmethod(services.commitment_delete)


class CommitmentHistoryView(CommitmentObject, ObjectHistoryView):
    update_service = staticmethod(services.commitment_update)


# ---------------------------------------------------------------- linking activities


class CommitmentLinkView(CommitmentObject, PolicyMixin, View):
    """Link a meeting, action, practice or request (any of them at once) to the commitment."""

    edit = True

    def render_form(self, request, commitment, form, status=200):
        return render(
            request,
            "knowledge/commitment_link.html",
            {"commitment": commitment, "object": commitment, "form": form},
            status=status,
        )

    def get(self, request, pk):
        commitment = self.get_object(request, pk)
        return self.render_form(request, commitment, LinkForm(user=request.user))

    def post(self, request, pk):
        commitment = self.get_object(request, pk)
        form = LinkForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_form(request, commitment, form, status=400)
        linked = []
        try:
            for record in form.records():
                commitment = services.commitment_link(
                    actor=request.user, commitment=commitment, record=record
                )
                linked.append(str(record))
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
            return self.render_form(request, commitment, form, status=400)
        messages.success(
            request,
            _("Linked to the commitment: %(records)s.")
            % {"records": "; ".join(f"“{name}”" for name in linked)},
        )
        return HttpResponseRedirect(
            posted_next(request, commitment.get_absolute_url() + "#activities")
        )


class CommitmentUnlinkView(CommitmentObject, PolicyMixin, View):
    """Take a record off the commitment's activities (the record itself stays)."""

    edit = True

    def get(self, request, pk):
        commitment = self.get_object(request, pk)
        form = UnlinkForm(request.GET)
        record = form.record_of(request.user) if form.is_valid() else None
        return render(
            request,
            "knowledge/commitment_unlink.html",
            {
                "commitment": commitment,
                "object": commitment,
                "record": record,
                "kind": form.cleaned_data.get("kind") if record is not None else None,
            },
        )

    def post(self, request, pk):
        commitment = self.get_object(request, pk)
        back = posted_next(request, commitment.get_absolute_url() + "#activities")
        form = UnlinkForm(request.POST)
        record = form.record_of(request.user) if form.is_valid() else None
        if record is None:
            messages.error(request, _("There is no such record to unlink."))
            return HttpResponseRedirect(back)
        try:
            services.commitment_unlink(actor=request.user, commitment=commitment, record=record)
        except (ConflictError, ValidationError) as exc:
            message = exc.message if isinstance(exc, ConflictError) else " ".join(exc.messages)
            messages.error(request, message)
        else:
            messages.success(
                request,
                _("“%(record)s” no longer implements the commitment.") % {"record": record},
            )
        return HttpResponseRedirect(back)


class RecordLinkView(PolicyMixin, View):
    """From a meeting's or an action's page: link it to a commitment, then go back there."""

    edit = True
    http_method_names = ["post", "options"]

    def post(self, request):
        form = RecordLinkForm(request.POST, user=request.user)
        record = form.record_of(request.user) if form.is_valid() else None
        back = posted_next(request, record_url(record) if record is not None else "/")
        if record is None:
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            messages.error(request, " ".join(errors) or _("There is no such record to link."))
            return HttpResponseRedirect(back)
        commitment = form.cleaned_data["commitment"]
        try:
            services.commitment_link(actor=request.user, commitment=commitment, record=record)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("“%(record)s” implements “%(commitment)s”.")
                % {"record": record, "commitment": commitment},
            )
        return HttpResponseRedirect(back)
