"""Pages and downloads of the analyses: thin, parse → selectors → analysis → chart."""

from __future__ import annotations

import csv
import datetime
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accord.core import exports, policy
from accord.core.views import PolicyMixin
from accord.registry import selectors as registry
from accord.registry.models import Country, Organization
from accord.registry.querysets import today

from . import analysis, charts, landscape, selectors
from .compare import compare
from .models import Dataset

FORMATS = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv; charset=utf-8"}
CONTENT_TYPES = {
    **FORMATS,
    "graphml": "application/graphml+xml",
    "nodes.csv": "text/csv; charset=utf-8",
}


def csv_bytes(header: list, rows) -> bytes:
    """A table as CSV, each text a spreadsheet would run as a formula neutralised, as every
    export of the project is (core/exports.py)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [header, *rows]:
        writer.writerow([exports.neutralise(v) if isinstance(v, str) else v for v in row])
    return out.getvalue().encode("utf-8")


def download(body: bytes, fmt: str, filename: str) -> HttpResponse:
    """A chart or table as a file, with the headers of the project's other exports: what the
    reader may see is not for shared caches, and the type is not to be sniffed."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = exports.content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class StaffMixin(PolicyMixin):
    """An analysis page: a role, and not a partner's focal point (a 403 for them)."""

    def dispatch(self, request, *args, **kwargs):
        if policy.can_view(request.user) and not policy.is_home_staff(request.user):
            raise PermissionDenied(_("The analyses are for the home organization's staff."))
        return super().dispatch(request, *args, **kwargs)


def history_series(
    user, organization, datasets=None
) -> tuple[list[charts.Series], list[dict], list, str]:
    """The full members per year of every source of the organization: the chart's series,
    the rows of its table ({year, source key: count}), the sources' keys in the series' order
    and a note on coverage. `datasets`: those of the organization, when already read."""
    if datasets is None:
        datasets = selectors.datasets_of(user, organization)
    first, last = selectors.default_years(user, organization, selectors.ENTERED)
    spans = [(selectors.ENTERED, selectors.ENTERED, _("Entered in Accord"), first, last)]
    for dataset in datasets:
        a, b = selectors.default_years(user, organization, dataset)
        spans.append((dataset.key, dataset, dataset.name, a, b))
        first = min(first, a)
    if not organization.founded:
        # No founding year: the entered line starts where the earliest source does.
        spans[0] = (*spans[0][:3], first, last)
    series, keys, by_year = [], [], {}
    for key, source, label, a, b in spans:
        spells = selectors.year_spells(user, organization, source, a, b)
        if key == selectors.ENTERED and not spells:
            continue
        rows = analysis.membership_history(spells, a, b)
        keys.append(key)
        series.append(
            charts.Series(
                str(label),
                [row["year"] for row in rows],
                [row["full"] for row in rows],
                dashed=key != selectors.ENTERED,
            )
        )
        for row in rows:
            by_year.setdefault(row["year"], {"year": row["year"]})[key] = row["full"]
    notes = [
        _("%(name)s covers %(first)s–%(last)s.")
        % {"name": d.name, "first": d.first_year, "last": d.last_year}
        for d in datasets
    ]
    return series, [by_year[y] for y in sorted(by_year)], keys, " ".join(notes)


def history_figure(organization, series, note):
    return charts.line_chart(
        series,
        title=_("%(acronym)s: full members by year") % {"acronym": organization.acronym},
        y_label=_("Full members"),
        note=note,
    )


class MembershipChartView(PolicyMixin, View):
    """The membership history chart of an organization as SVG or PNG, its data as CSV."""

    def get(self, request, key, fmt):
        if fmt not in FORMATS:
            raise Http404
        organization = registry.organization_get(user=request.user, key=key)
        series, rows, keys, note = history_series(request.user, organization)
        filename = f"{organization.acronym}-membership-history.{fmt}"
        if fmt == "csv":
            body = csv_bytes(
                ["year", *[f"full ({k})" for k in keys]],
                ([row["year"], *[row.get(k, "") for k in keys]] for row in rows),
            )
        else:
            figure = history_figure(organization, series, note)
            body = charts.to_png(figure) if fmt == "png" else charts.to_svg_file(figure)
        return download(body, fmt, filename)


class ChangesForm(forms.Form):
    changes_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    changes_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        a, b = data.get("changes_from"), data.get("changes_to")
        if a and b and b < a:
            self.add_error("changes_to", _("“To” is before “from”."))
        return data


def last_meeting_day(user, organization) -> datetime.date | None:
    from accord.meetings.selectors import last_meetings_of

    meetings = last_meetings_of(user, organization, n=1)
    return meetings[0].start.date() if meetings else None


def organization_panel(request, organization) -> dict | None:
    """The organization page's "Membership over time": the chart of every source, the
    sources side by side, and who joined or left between two dates."""
    user = request.user
    datasets = selectors.datasets_of(user, organization)
    series, rows, keys, note = history_series(user, organization, datasets)
    if not series:
        return None
    day = today()
    form = ChangesForm(request.GET or None)
    since = last_meeting_day(user, organization)
    start = since or day.replace(year=day.year - 5, day=min(day.day, 28))
    end = day
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["changes_from"] or start
        end = form.cleaned_data["changes_to"] or end
    if end < start:
        start, end = end, start
    joined, left = analysis.joins_and_departures(
        selectors.entered_full_on(user, organization, start),
        selectors.entered_full_on(user, organization, end),
    )
    countries = Country.objects.visible_to(user).in_bulk(joined | left)
    comparisons = [
        compare(user, organization, dataset, min(dataset.last_year, day.year))
        for dataset in datasets
    ]
    return {
        "organization": organization,
        "chart": charts.to_svg(history_figure(organization, series, note)),
        "table": [(row["year"], [row.get(key, "—") for key in keys]) for row in rows],
        "columns": list(zip(keys, [s.label for s in series], strict=True)),
        "comparisons": comparisons,
        "form": form,
        "start": start,
        "end": end,
        "since_meeting": since is not None and start == since,
        "joined": sorted((countries[pk] for pk in joined if pk in countries), key=str),
        "left": sorted((countries[pk] for pk in left if pk in countries), key=str),
    }


def country_panel(request, country) -> dict | None:
    """A country's memberships over time: how many organizations it belonged to each year,
    from each source, and the imported spells organization by organization."""
    user = request.user
    this_year = today().year
    datasets = selectors.country_datasets(user, country)
    series, spells_by_source = [], []
    last = country.exists_to or this_year
    entered = selectors.country_year_spells(user, country, selectors.ENTERED, 1800, last)
    firsts = [a for _o, _s, a, _b in entered]
    for dataset in datasets:
        first = max(dataset.first_year, country.exists_from or dataset.first_year)
        end = min(dataset.last_year, last)
        spells = selectors.country_year_spells(user, country, dataset, first, end)
        if spells:
            spells_by_source.append((dataset, spells, first, end))
            firsts.append(min(a for _o, _s, a, _b in spells))
    if not firsts:
        return None
    start = min(firsts)
    if entered:
        rows = analysis.membership_history(entered, start, last)
        series.append(
            charts.Series(
                _("Entered in Accord"), [r["year"] for r in rows], [r["full"] for r in rows]
            )
        )
    imported = []
    organization_ids = set()
    for dataset, spells, first, end in spells_by_source:
        rows = analysis.membership_history(spells, max(first, start), end)
        series.append(
            charts.Series(
                dataset.name, [r["year"] for r in rows], [r["full"] for r in rows], dashed=True
            )
        )
        organization_ids |= {o for o, _s, _a, _b in spells}
        imported.append((dataset, spells))
    organizations = (
        Organization.objects.visible_to(user)
        .only("pk", "acronym", "name")
        .in_bulk(organization_ids)
    )
    timelines = []
    for dataset, spells in imported:
        rows = [
            (organizations[o], status, a, b) for o, status, a, b in spells if o in organizations
        ]
        rows.sort(key=lambda row: (row[2], row[0].acronym))
        timelines.append((dataset, rows))
    notes = " ".join(
        _("%(name)s covers %(first)s–%(last)s.")
        % {"name": d.name, "first": d.first_year, "last": d.last_year}
        for d in datasets
    )
    figure = charts.line_chart(
        series,
        title=_("%(country)s: organizations it is a full member of, by year")
        % {"country": country.display_name},
        y_label=_("Organizations"),
        note=notes,
    )
    return {
        "country": country,
        "chart": charts.to_svg(figure),
        "timelines": timelines,
    }


class OverlapForm(forms.Form):
    orgs = forms.CharField(
        label=gettext_lazy("Organizations"),
        max_length=2000,
        required=False,
        help_text=gettext_lazy("Acronyms, separated by commas (2 to 60)."),
    )
    as_of = forms.DateField(
        label=gettext_lazy("On date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False)
    a = forms.CharField(label=gettext_lazy("Bridges between"), max_length=40, required=False)
    b = forms.CharField(label=gettext_lazy("and"), max_length=40, required=False)
    state_a = forms.CharField(
        label=gettext_lazy("Organizations shared by"), max_length=40, required=False
    )
    state_b = forms.CharField(label=gettext_lazy("and"), max_length=40, required=False)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sources


def default_organizations(user) -> list[str]:
    """The home organization and its partners (at most twelve), as the page opens."""
    rows = (
        registry.organization_list(user=user)
        .filter(Q(is_home=True) | Q(is_partner=True))
        .order_by("-is_home", "acronym")
        .values_list("acronym", flat=True)[:12]
    )
    return list(rows)


class OverlapView(StaffMixin, View):
    """Overlap of organizations' full members on a day: the heat map (count and Jaccard), the
    bridge states of a pair, and the organizations two states share."""

    def get(self, request, fmt=None):
        from .api import overlap_matrix

        user = request.user
        form = OverlapForm(request.GET or None, sources=selectors.sources(user))
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        keys = [k.strip() for k in (data.get("orgs") or "").split(",") if k.strip()]
        keys = keys or default_organizations(user)
        day = data.get("as_of") or today()
        source = data.get("source") or selectors.ENTERED
        organizations, problem = [], ""
        if len(keys) > 60:
            problem = _("Name at most 60 organizations.")
        else:
            organizations, unknown = selectors.organizations_by_keys(user, keys)
            if unknown:
                problem = _("No organization “%(key)s”.") % {"key": unknown[0]}
        result = overlap_matrix(user, organizations, source, day) if organizations else None
        # The source by its name in the chart's note ("Entered in Accord", "COW IGO v3.0").
        source_name = str(dict(selectors.sources(user)).get(source, source))
        labels = [o.acronym for o in organizations]
        if fmt is not None:
            return self.download(fmt, result, labels, day, source_name)
        context = {
            "form": form,
            "problem": problem,
            "result": result,
            "day": day,
            "source": source,
            "orgs": ",".join(labels),
            "rows": list(zip(labels, result["shared"], result["jaccard"], strict=True))
            if result
            else [],
        }
        if result and len(labels) >= 1:
            context["chart"] = charts.to_svg(self.figure(result, labels, day, source_name))
        context.update(self.pair(user, data, organizations, source, day))
        context["query"] = request.GET.urlencode()
        context["state_a"] = (data.get("state_a") or "")[:40]
        context["state_b"] = (data.get("state_b") or "")[:40]
        return render(request, "analytics/overlap.html", context)

    @staticmethod
    def figure(result, labels, day, source_name):
        return charts.heat_map(
            labels,
            result["shared"],
            result["jaccard"],
            title=_("Shared full members on %(day)s") % {"day": day.isoformat()},
            note=_("Source: %(source)s. Each cell: states in both, then Jaccard.")
            % {"source": source_name},
        )

    def pair(self, user, data, organizations, source, day) -> dict:
        context = {}
        by_acronym = {o.acronym.lower(): o for o in organizations}
        a = by_acronym.get((data.get("a") or "").lower())
        b = by_acronym.get((data.get("b") or "").lower())
        if a is None and b is None and len(organizations) >= 2:
            a, b = organizations[0], organizations[1]
        if a is not None and b is not None:
            context["bridge"] = {
                "a": a,
                "b": b,
                "states": sorted(landscape.bridge_states(user, a, b, source, day), key=str),
            }
        codes = [data.get("state_a"), data.get("state_b")]
        if all(codes):
            states = []
            for code in codes:
                try:
                    states.append(registry.country_get(user=user, key=code))
                except Http404:
                    context["state_problem"] = _("No country with the code “%(code)s”.") % {
                        "code": code
                    }
                    return context
            context["state_pair"] = {
                "a": states[0],
                "b": states[1],
                "organizations": landscape.shared_organizations(user, *states, source, day),
            }
        return context

    def download(self, fmt, result, labels, day, source_name):
        if fmt not in FORMATS or result is None:
            raise Http404
        filename = f"overlap-{day.isoformat()}.{fmt}"
        if fmt == "csv":
            body = csv_bytes(
                [
                    "organization",
                    "members",
                    *[f"shared with {x}" for x in labels],
                    *[f"Jaccard with {x}" for x in labels],
                ],
                (
                    [label, result["shared"][i][i], *result["shared"][i], *result["jaccard"][i]]
                    for i, label in enumerate(labels)
                ),
            )
        else:
            figure = self.figure(result, labels, day, source_name)
            body = charts.to_png(figure) if fmt == "png" else charts.to_svg_file(figure)
        return download(body, fmt, filename)


class AnalyticsIndexView(StaffMixin, View):
    """The analyses, and the membership data sets imported (what they cover, from where)."""

    def get(self, request):
        user = request.user
        datasets = list(Dataset.objects.visible_to(user).order_by("key"))
        home = Organization.objects.visible_to(user).filter(is_home=True).first()
        return render(request, "analytics/index.html", {"datasets": datasets, "home": home})


class NeighbourhoodForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("On date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    source = forms.ChoiceField(label=gettext_lazy("Source"), required=False)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = sources


NEIGHBOURHOOD_FORMATS = {"svg", "csv"}  # the map's PNG is drawn in the browser


class NeighbourhoodView(StaffMixin, View):
    """The spillover neighbourhood on a map and in a table, with its downloads."""

    def get(self, request, fmt=None):
        from accord.core.mapcache import cached_world_map
        from accord.core.worldmap import CLASS_COLOURS, world_map_svg

        from .landscape import neighbourhood

        user = request.user
        form = NeighbourhoodForm(request.GET or None, sources=selectors.sources(user))
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        day = data.get("as_of") or today()
        source = data.get("source") or selectors.ENTERED
        result = neighbourhood(user, day, source)
        if result is None:
            raise Http404(_("This workspace has no home organization."))
        classes = {code: "member" for code in result.member_codes}
        for n in result.items:
            classes[n.country.iso3] = "partner" if n.partnered else "shared"
        label = _("%(acronym)s area and its land neighbours on %(day)s") % {
            "acronym": result.home.acronym,
            "day": day.isoformat(),
        }
        filename = f"{result.home.acronym}-neighbourhood-{day.isoformat()}"
        if fmt is not None:
            if fmt not in NEIGHBOURHOOD_FORMATS:
                raise Http404
            if fmt == "svg":
                body = str(world_map_svg(classes, label=label)).encode("utf-8")
            else:
                body = csv_bytes(
                    ["iso3", "state", "borders", "organizations", "partnered by the home"],
                    (
                        [
                            n.country.iso3,
                            n.country.name,
                            " ".join(c.iso3 for c in n.borders),
                            " ".join(o.acronym for o, _s in n.organizations),
                            " ".join(o.acronym for o in n.partnered),
                        ]
                        for n in result.items
                    ),
                )
            return download(body, fmt, f"{filename}.{fmt}")
        legend = [
            (_("%(acronym)s members") % {"acronym": result.home.acronym}, CLASS_COLOURS["member"]),
            (_("Neighbour in an organization the home partners"), CLASS_COLOURS["partner"]),
            (_("Neighbour in no partnered organization"), CLASS_COLOURS["shared"]),
        ]
        return render(
            request,
            "analytics/neighbourhood.html",
            {
                "form": form,
                "result": result,
                "day": day,
                "source": source,
                "map": cached_world_map(classes, label=label),
                "legend": legend,
                "query": request.GET.urlencode(),
                "filename": filename,
            },
        )


class NetworkForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    shares = forms.BooleanField(label=gettext_lazy("Count practices shared"), required=False)


NETWORK_FORMATS = {"graphml", "csv", "nodes.csv", "svg", "png"}


class NetworkView(StaffMixin, View):
    """The engagement network of a period: an interactive graph, its measures, and downloads."""

    def get(self, request, fmt=None):
        from .api import period
        from .landscape import graphml, network

        form = NetworkForm(request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        first, last = period(data.get("start"), data.get("end"), 1)
        problem = ""
        if last < first:
            problem = _("“To” is before “from”.")
            first, last = last, first
        shares = data.get("shares", True) if form.is_bound else True
        result = network(request.user, first, last, shares=shares)
        name = f"network-{first.isoformat()}-{last.isoformat()}"
        if fmt is not None:
            if fmt not in NETWORK_FORMATS:
                raise Http404
            if fmt == "graphml":
                body = graphml(result)
            elif fmt == "csv":
                body = csv_bytes(
                    ["source", "target", "weight", "meetings", "shares"],
                    (
                        [
                            e["source"].acronym,
                            e["target"].acronym,
                            e["weight"],
                            e["meetings"],
                            e["shares"],
                        ]
                        for e in result.edges()
                    ),
                )
            elif fmt == "nodes.csv":
                body = csv_bytes(
                    ["organization", "name", "degree", "strength", "betweenness", "community"],
                    (
                        [
                            row["organization"].acronym,
                            row["organization"].name,
                            row["degree"],
                            row["strength"],
                            round(row["betweenness"], 6),
                            row["community"],
                        ]
                        for row in result.nodes()
                    ),
                )
            else:
                figure = self.figure(result)
                body = charts.to_png(figure) if fmt == "png" else charts.to_svg_file(figure)
            return download(body, fmt, f"{name}.{fmt}")
        nodes = result.nodes()
        elements = {
            "nodes": [
                {
                    "id": row["organization"].acronym,
                    "name": row["organization"].name,
                    "url": row["organization"].get_absolute_url(),
                    "strength": row["strength"],
                    "colour": charts.COLOURS[row["community"] % len(charts.COLOURS)],
                }
                for row in nodes
            ],
            "edges": [
                {
                    "source": e["source"].acronym,
                    "target": e["target"].acronym,
                    "weight": e["weight"],
                }
                for e in result.edges()
            ],
        }
        return render(
            request,
            "analytics/network.html",
            {
                "form": form,
                "problem": problem,
                "first": first,
                "last": last,
                "shares": shares,
                "nodes": nodes,
                "edges": result.edges()[:50],
                "edge_count": result.graph.number_of_edges(),
                "estimated": len(nodes) > analysis.BETWEENNESS_EXACT_MAX,
                "samples": analysis.BETWEENNESS_SAMPLES,
                "elements": elements,
                "query": request.GET.urlencode(),
            },
        )

    @staticmethod
    def figure(result):
        labels = {node: result.organizations[node].acronym for node in result.graph.nodes}
        communities = {node: m["community"] for node, m in result.metrics.items()}
        return charts.network_drawing(
            result.graph,
            labels,
            communities,
            title=_("Engagement network, %(first)s – %(last)s")
            % {"first": result.first.isoformat(), "last": result.last.isoformat()},
        )


class AdvantageForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    theme = forms.CharField(label=gettext_lazy("Theme"), max_length=60, required=False)
    organization = forms.CharField(max_length=20, required=False)


ADVANTAGE_FORMATS = {"csv", "svg", "png"}
EVIDENCE_URLS = {
    "meeting": "meetings:meeting_detail",
    "practice": "knowledge:practice_detail",
    "action": "meetings:action_detail",
}


class AdvantageView(StaffMixin, View):
    """Comparative advantage: organizations × themes with the evidence behind each cell, and
    who to work with on a theme."""

    def get(self, request, fmt=None):
        from django.urls import NoReverseMatch, reverse

        from .api import period
        from .landscape import comparative_advantage

        form = AdvantageForm(request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        first, last = period(data.get("start"), data.get("end"), 5)
        problem = ""
        if last < first:
            problem = _("“To” is before “from”.")
            first, last = last, first
        result = comparative_advantage(request.user, first, last)
        rows = result.rows()
        name = f"advantage-{first.isoformat()}-{last.isoformat()}"
        if fmt is not None:
            if fmt not in ADVANTAGE_FORMATS:
                raise Http404
            if fmt == "csv":
                body = csv_bytes(
                    [
                        "organization",
                        "theme",
                        "score",
                        "mandate",
                        "meetings",
                        "practices",
                        "actions",
                    ],
                    (
                        [
                            organization.acronym,
                            theme.slug,
                            c["score"],
                            c["mandate"],
                            c["meeting"],
                            c["practice"],
                            c["action"],
                        ]
                        for organization, cells, _total in result.rows(limit=10_000)
                        for theme, c in zip(result.themes, cells, strict=True)
                        if c
                    ),
                )
            else:
                figure = charts.matrix_chart(
                    [o.acronym for o, _c, _t in rows],
                    [t.display_name for t in result.themes],
                    [[c["score"] if c else 0 for c in cells] for _o, cells, _t in rows],
                    title=_("Evidence by organization and theme, %(first)s – %(last)s")
                    % {"first": first.isoformat(), "last": last.isoformat()},
                    note=_("One for a mandate, one per meeting, practice and action."),
                )
                body = charts.to_png(figure) if fmt == "png" else charts.to_svg_file(figure)
            return download(body, fmt, f"{name}.{fmt}")
        top = max((c["score"] for c in result.cells.values()), default=1) or 1
        table = [
            (
                organization,
                [
                    (theme, c, round(0.12 + 0.78 * c["score"] / top, 2) if c else 0)
                    for theme, c in zip(result.themes, cells, strict=True)
                ],
                total,
            )
            for organization, cells, total in rows
        ]
        theme = next((t for t in result.themes if t.slug == data.get("theme")), None)
        chosen = None
        best = []
        if theme is not None:
            best = result.best_on(theme)[:10]
            key = (data.get("organization") or "").casefold()
            organization = next(
                (o for o in result.organizations.values() if o.acronym.casefold() == key), None
            )
            if organization is not None:
                evidence = []
                for kind, record, title in result.evidence_of(organization, theme):
                    url = None
                    if kind in EVIDENCE_URLS:
                        try:
                            url = reverse(EVIDENCE_URLS[kind], args=[record])
                        except NoReverseMatch:
                            url = None
                    evidence.append((kind, title, url))
                chosen = {"organization": organization, "evidence": evidence}
        return render(
            request,
            "analytics/advantage.html",
            {
                "form": form,
                "problem": problem,
                "first": first,
                "last": last,
                "themes": result.themes,
                "table": table,
                "theme": theme,
                "best": best,
                "chosen": chosen,
                "query": request.GET.urlencode(),
            },
        )


def register_panels() -> None:
    from accord.core import extensions

    extensions.register_record_panel(
        "organization",
        "membership-history",
        template_name="analytics/panels/membership_history.html",
        context=organization_panel,
        order=50,
    )
    extensions.register_record_panel(
        "country",
        "membership-history",
        template_name="analytics/panels/country_history.html",
        context=country_panel,
        order=50,
    )
