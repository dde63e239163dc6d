"""The spillover neighbourhood: the states that border the home organization's area by land
but are outside it, the outside organizations each belongs to, and whether the home
organization has a partnership with them. Read through the policy, computed in analysis.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accord.registry.models import Country, Organization

from . import analysis, selectors


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
