"""The spillover neighbourhood: the states that border the home organization's area by land
but are outside it, the outside organizations each belongs to, and whether the home
organization has a partnership with them. Read through the policy, computed in analysis.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accord.registry.models import Country, Organization

from . import analysis, selectors


def bridge_states(user, a: Organization, b: Organization, source, day) -> list[Country]:
    """The states that are full members of both organizations, by name."""
    members: dict[int, set] = {a.pk: set(), b.pk: set()}
    for organization, country in selectors.full_member_pairs(user, [a.pk, b.pk], source, day):
        members[organization].add(country)
    both = analysis.bridges(members[a.pk], members[b.pk])
    return list(Country.objects.visible_to(user).filter(pk__in=both).order_by("name"))


def shared_organizations(user, a: Country, b: Country, source, day) -> list[Organization]:
    """The organizations both states are full members of, by acronym."""
    memberships: dict[int, set] = {a.pk: set(), b.pk: set()}
    for organization, country in selectors.organizations_of_states(user, [a.pk, b.pk], source, day):
        memberships[country].add(organization)
    both = memberships[a.pk] & memberships[b.pk]
    return list(Organization.objects.visible_to(user).filter(pk__in=both).order_by("acronym"))


@dataclass
class Neighbour:
    country: Country
    borders: list[Country]  # the home organization's members it borders
    organizations: list[tuple[Organization, str | None]]  # (organization, partnership status)

    @property
    def partnered(self) -> list[Organization]:
        return [o for o, status in self.organizations if status]


@dataclass
class Neighbourhood:
    home: Organization
    day: datetime.date
    source: str
    members: int
    items: list[Neighbour]
    member_codes: list[str]


def neighbourhood(user, day: datetime.date, source: str = selectors.ENTERED):
    """None when the workspace has no home organization the user may see."""
    home = selectors.home_organization(user)
    if home is None:
        return None
    members = {c for _o, c in selectors.full_member_pairs(user, [home.pk], source, day)}
    outside = analysis.neighbourhood(members, selectors.land_borders(members))
    memberships: dict[int, set[int]] = {}
    for organization, country in selectors.organizations_of_states(
        user, list(outside), source, day
    ):
        if organization != home.pk:
            memberships.setdefault(country, set()).add(organization)
    organization_ids = set().union(*memberships.values()) if memberships else set()
    statuses = selectors.partnered(user, home, organization_ids)
    countries = Country.objects.visible_to(user).in_bulk(
        set(outside) | set().union(*outside.values()) if outside else set(members)
    )
    member_codes = sorted(
        Country.objects.visible_to(user).filter(pk__in=members).values_list("iso3", flat=True)
    )
    organizations = (
        Organization.objects.visible_to(user)
        .only("pk", "acronym", "name")
        .in_bulk(organization_ids)
    )
    items = []
    for pk, bordered in outside.items():
        if pk not in countries:
            continue
        orgs = sorted(
            (organizations[o] for o in memberships.get(pk, ()) if o in organizations),
            key=lambda o: o.acronym.casefold(),
        )
        items.append(
            Neighbour(
                country=countries[pk],
                borders=sorted((countries[b] for b in bordered if b in countries), key=str),
                organizations=[(o, statuses.get(o.pk)) for o in orgs],
            )
        )
    items.sort(key=lambda n: n.country.display_name)
    return Neighbourhood(
        home=home,
        day=day,
        source=source,
        members=len(members),
        items=items,
        member_codes=member_codes,
    )


@dataclass
class Network:
    first: datetime.date
    last: datetime.date
    graph: object  # networkx.Graph, nodes are organization ids
    metrics: dict
    organizations: dict  # id -> Organization

    def nodes(self) -> list[dict]:
        """The organizations, most connected first."""
        rows = [
            {"organization": self.organizations[node], **self.metrics[node]}
            for node in self.graph.nodes
            if node in self.organizations
        ]
        rows.sort(key=lambda r: (-r["strength"], r["organization"].acronym.casefold()))
        return rows

    def edges(self) -> list[dict]:
        rows = [
            {
                "source": self.organizations[a],
                "target": self.organizations[b],
                "weight": data["weight"],
                "meetings": data["meetings"],
                "shares": data["shares"],
            }
            for a, b, data in self.graph.edges(data=True)
            if a in self.organizations and b in self.organizations
        ]
        for row in rows:
            if row["source"].acronym.casefold() > row["target"].acronym.casefold():
                row["source"], row["target"] = row["target"], row["source"]
        rows.sort(key=lambda r: (-r["weight"], r["source"].acronym, r["target"].acronym))
        return rows


def network(user, first: datetime.date, last: datetime.date, *, shares: bool = True) -> Network:
    """The engagement network of the period: meetings (and practices shared) the user may see."""
    groups = selectors.meeting_groups(user, first, last)
    if shares:
        groups += selectors.share_groups(user, first, last)
    graph = analysis.engagement_graph(groups)
    organizations = (
        Organization.objects.visible_to(user)
        .only("pk", "acronym", "name")
        .in_bulk(list(graph.nodes))
    )
    graph.remove_nodes_from([n for n in list(graph.nodes) if n not in organizations])
    return Network(
        first=first,
        last=last,
        graph=graph,
        metrics=analysis.network_metrics(graph),
        organizations=organizations,
    )


def graphml(result: Network) -> bytes:
    """The network as GraphML: nodes by acronym with their name and metrics, edges with their
    weight and counts."""
    import io

    import networkx as nx

    export = nx.Graph()
    for row in result.nodes():
        o = row["organization"]
        export.add_node(
            o.acronym,
            name=o.name,
            degree=row["degree"],
            strength=row["strength"],
            betweenness=round(row["betweenness"], 6),
            community=row["community"],
        )
    for edge in result.edges():
        export.add_edge(
            edge["source"].acronym,
            edge["target"].acronym,
            weight=edge["weight"],
            meetings=edge["meetings"],
            shares=edge["shares"],
        )
    out = io.BytesIO()
    nx.write_graphml(export, out, encoding="utf-8")
    return out.getvalue()


@dataclass
class Advantage:
    first: datetime.date
    last: datetime.date
    themes: list  # Theme, in the taxonomy's order
    organizations: dict  # id -> Organization
    cells: dict  # (organization id, theme id) -> counts and score
    evidence: list  # (kind, organization id, theme id, record id, title)
    home: Organization | None

    def rows(self, limit: int = 40) -> list[tuple]:
        """(organization, [cell or None per theme], total): the strongest organizations."""
        totals: dict = {}
        for (organization, _theme), cell in self.cells.items():
            totals[organization] = totals.get(organization, 0) + cell["score"]
        ranked = sorted(
            (o for o in totals if o in self.organizations),
            key=lambda o: (-totals[o], self.organizations[o].acronym.casefold()),
        )[:limit]
        return [
            (
                self.organizations[o],
                [self.cells.get((o, theme.pk)) for theme in self.themes],
                totals[o],
            )
            for o in ranked
        ]

    def best_on(self, theme) -> list[tuple]:
        exclude = {self.home.pk} if self.home else set()
        return [
            (self.organizations[o], cell)
            for o, cell in analysis.best_on(self.cells, theme.pk, exclude)
            if o in self.organizations
        ]

    def evidence_of(self, organization, theme) -> list[tuple[str, int, str]]:
        return sorted(
            (kind, record, title)
            for kind, o, t, record, title in self.evidence
            if o == organization.pk and t == theme.pk
        )


def comparative_advantage(user, first: datetime.date, last: datetime.date) -> Advantage:
    from accord.taxonomy.models import Theme

    evidence = selectors.advantage_evidence(user, first, last)
    cells = analysis.advantage(evidence)
    organizations = (
        Organization.objects.visible_to(user)
        .only("pk", "acronym", "name")
        .in_bulk({o for o, _t in cells})
    )
    used = {t for _o, t in cells}
    themes = [
        theme
        for theme in Theme.objects.visible_to(user).select_related("parent").order_by("order")
        if theme.pk in used
    ]
    return Advantage(
        first=first,
        last=last,
        themes=themes,
        organizations=organizations,
        cells=cells,
        evidence=evidence,
        home=selectors.home_organization(user),
    )
