"""What the analyses read, through the policy: spells of entered or imported memberships.

Entered memberships (registry.Membership) have day precision; a state counts in a year when its
spell overlaps that year. Imported ones (SourceMembership) have year precision. Both come out
as the same plain rows for the pure functions of analysis.py.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from accord.registry.models import Membership, Organization
from accord.registry.querysets import today as registry_today

from .models import Dataset, SourceMembership

ENTERED = "entered"
STATUSES = ("full", "associate", "observer", "partner", "suspended")


class UnknownSource(ValueError):
    pass


def sources(user) -> list[tuple[str, str]]:
    """(key, label) of the membership sources the user may read: entered data first."""
    datasets = Dataset.objects.visible_to(user).values_list("key", "name")
    return [(ENTERED, _("Entered in Accord")), *datasets]


def dataset_get(user, key: str) -> Dataset:
    dataset = Dataset.objects.visible_to(user).filter(key=key).first()
    if dataset is None:
        raise UnknownSource(key)
    return dataset


def year_spells(
    user, organization: Organization, source: str, first: int, last: int
) -> list[tuple[int, str, int, int]]:
    """(country id, status, first year, last year) of the organization's spells that overlap
    [first, last]: the years of an entered spell are those its dates touch."""
    if source != ENTERED:
        dataset = dataset_get(user, source)
        return list(
            SourceMembership.objects.visible_to(user)
            .filter(
                dataset=dataset,
                organization=organization,
                first_year__lte=last,
                last_year__gte=first,
            )
            .values_list("country_id", "status", "first_year", "last_year")
        )
    rows = (
        Membership.objects.visible_to(user)
        .filter(organization=organization)
        .exclude(valid_to__lt=datetime.date(first, 1, 1))
        .exclude(valid_from__gt=datetime.date(last, 12, 31))
        .values_list("country_id", "status", "valid_from", "valid_to")
    )
    return [
        (
            country,
            status,
            valid_from.year if valid_from else first,
            valid_to.year if valid_to else last,
        )
        for country, status, valid_from, valid_to in rows
    ]


def default_years(user, organization: Organization, source: str) -> tuple[int, int]:
    """The years a history shows when none are asked: the data set's coverage, or from the
    organization's founding (or first entered spell) to this year."""
    if source != ENTERED:
        dataset = dataset_get(user, source)
        first = organization.founded or dataset.first_year
        return min(max(first, dataset.first_year), dataset.last_year), dataset.last_year
    this_year = registry_today().year
    first = organization.founded
    if first is None:
        earliest = (
            Membership.objects.visible_to(user)
            .filter(organization=organization, valid_from__isnull=False)
            .order_by("valid_from")
            .values_list("valid_from", flat=True)
            .first()
        )
        first = earliest.year if earliest else this_year
    return min(first, this_year), this_year


def datasets_of(user, organization: Organization) -> list[Dataset]:
    """The data sets that hold spells of the organization (one query)."""
    return list(
        Dataset.objects.visible_to(user)
        .filter(spells__organization=organization)
        .distinct()
        .order_by("key")
    )


def entered_full_on(user, organization: Organization, day: datetime.date) -> set[int]:
    """Country ids of the entered full members on a day."""
    return set(
        Membership.objects.visible_to(user)
        .filter(organization=organization, status="full")
        .as_of(day)
        .values_list("country_id", flat=True)
    )


def entered_year_edges(user, organization: Organization, year: int) -> dict[int, str]:
    """Country id -> "joined" / "left" for entered full spells that begin or end in the year."""
    edges = {}
    rows = (
        Membership.objects.visible_to(user)
        .filter(organization=organization, status="full")
        .values_list("country_id", "valid_from", "valid_to")
    )
    for country, valid_from, valid_to in rows:
        if valid_from and valid_from.year == year:
            edges[country] = "joined"
        elif valid_to and valid_to.year == year:
            edges[country] = "left"
    return edges


def country_year_spells(user, country, source: str, first: int, last: int) -> list[tuple]:
    """(organization id, status, first year, last year) of the country's spells that overlap
    [first, last], from the entered memberships or a data set."""
    if source != ENTERED:
        dataset = dataset_get(user, source)
        return list(
            SourceMembership.objects.visible_to(user)
            .filter(dataset=dataset, country=country, first_year__lte=last, last_year__gte=first)
            .values_list("organization_id", "status", "first_year", "last_year")
        )
    rows = (
        Membership.objects.visible_to(user)
        .filter(country=country)
        .exclude(valid_to__lt=datetime.date(first, 1, 1))
        .exclude(valid_from__gt=datetime.date(last, 12, 31))
        .values_list("organization_id", "status", "valid_from", "valid_to")
    )
    return [
        (org, status, valid_from.year if valid_from else first, valid_to.year if valid_to else last)
        for org, status, valid_from, valid_to in rows
    ]


def country_datasets(user, country) -> list[Dataset]:
    return list(
        Dataset.objects.visible_to(user).filter(spells__country=country).distinct().order_by("key")
    )


def full_member_pairs(user, organization_ids, source: str, day: datetime.date) -> list:
    """(organization id, country id) of full members on a day (entered data) or in the day's
    year (a data set, whose spells are whole years)."""
    if source != ENTERED:
        dataset = dataset_get(user, source)
        return list(
            SourceMembership.objects.visible_to(user)
            .filter(dataset=dataset, organization_id__in=organization_ids, status="full")
            .in_year(day.year)
            .values_list("organization_id", "country_id")
            .distinct()
        )
    return list(
        Membership.objects.visible_to(user)
        .filter(organization_id__in=organization_ids, status="full")
        .as_of(day)
        .values_list("organization_id", "country_id")
        .distinct()
    )


def organizations_of_states(user, country_ids, source: str, day: datetime.date) -> list:
    """(organization id, country id) of the states' full memberships on the day."""
    if source != ENTERED:
        dataset = dataset_get(user, source)
        return list(
            SourceMembership.objects.visible_to(user)
            .filter(dataset=dataset, country_id__in=country_ids, status="full")
            .in_year(day.year)
            .values_list("organization_id", "country_id")
            .distinct()
        )
    return list(
        Membership.objects.visible_to(user)
        .filter(country_id__in=country_ids, status="full")
        .as_of(day)
        .values_list("organization_id", "country_id")
        .distinct()
    )


def home_organization(user) -> Organization | None:
    return Organization.objects.visible_to(user).filter(is_home=True).first()


def land_borders(country_ids) -> list[tuple[int, int]]:
    """(country, neighbour) pairs of the countries' land borders (reference data, one query)."""
    from accord.registry.models import Country

    through = Country.borders.through
    return list(
        through.objects.filter(from_country_id__in=country_ids).values_list(
            "from_country_id", "to_country_id"
        )
    )


def partnered(user, home: Organization, organization_ids) -> dict[int, str]:
    """Organization id -> status of the home organization's partnership with it, as the user
    may see it (a hidden partnership reads as none)."""
    from accord.registry.models import Partnership

    rows = (
        Partnership.objects.visible_to(user)
        .filter(
            models.Q(organization=home, partner_id__in=organization_ids)
            | models.Q(partner=home, organization_id__in=organization_ids)
        )
        .values_list("organization_id", "partner_id", "status")
    )
    result = {}
    for a, b, status in rows:
        result[b if a == home.pk else a] = status
    return result


def meeting_groups(user, first: datetime.date, last: datetime.date) -> list[tuple[str, set]]:
    """("meetings", organizations) of every meeting the user may see that starts in the period
    and was not cancelled: its host and participating organizations (one query)."""
    from accord.meetings.choices import MeetingStatus
    from accord.meetings.models import Meeting

    rows = (
        Meeting.objects.visible_to(user)
        .filter(start__date__gte=first, start__date__lte=last)
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("pk", "host_organization_id", "organizations__pk")
    )
    meetings: dict[int, set] = {}
    for pk, host, participant in rows:
        members = meetings.setdefault(pk, set())
        if host is not None:
            members.add(host)
        if participant is not None:
            members.add(participant)
    return [("meetings", members) for members in meetings.values()]


def share_groups(user, first: datetime.date, last: datetime.date) -> list[tuple[str, set]]:
    """("shares", {source, recipient}) of every entry of the practices' share log the user may
    see in the period (one query)."""
    from accord.knowledge.models import PracticeShare

    rows = (
        PracticeShare.objects.visible_to(user)
        .filter(
            shared_on__gte=first, shared_on__lte=last, practice__source_organization__isnull=False
        )
        .values_list("practice__source_organization_id", "organization_id")
    )
    return [("shares", {source, recipient}) for source, recipient in rows if source != recipient]


# ---------------------------------------------------------------- comparative advantage


def advantage_evidence(
    user, first: datetime.date, last: datetime.date, theme_ids=None
) -> list[tuple[str, int, int, int, str]]:
    """(kind, organization id, theme id, record id, title) of every piece of evidence the user
    may see: a mandate theme; a meeting in the period (not cancelled) the organization hosted
    or took part in, on the theme; a practice of the period it is the source of; an action it
    owes, raised at a meeting of the period on the theme. Four queries, whatever the data."""
    from accord.knowledge.models import Practice
    from accord.meetings.choices import MeetingStatus
    from accord.meetings.models import Action, Meeting

    def themed(qs, path):
        return qs if theme_ids is None else qs.filter(**{f"{path}__in": theme_ids})

    rows: list[tuple] = []
    mandates = themed(
        Organization.objects.visible_to(user).filter(mandate_themes__isnull=False),
        "mandate_themes",
    ).values_list("pk", "mandate_themes", "acronym")
    rows += [("mandate", org, theme, org, acronym) for org, theme, acronym in mandates]
    meetings = themed(
        Meeting.objects.visible_to(user)
        .filter(start__date__gte=first, start__date__lte=last, themes__isnull=False)
        .exclude(status=MeetingStatus.CANCELLED),
        "themes",
    ).values_list("pk", "title", "themes", "host_organization_id", "organizations__pk")
    seen = set()
    for pk, title, theme, host, participant in meetings:
        for org in {host, participant} - {None}:
            if (org, theme, pk) not in seen:
                seen.add((org, theme, pk))
                rows.append(("meeting", org, theme, pk, title))
    practices = themed(
        Practice.objects.visible_to(user).filter(
            date__gte=first,
            date__lte=last,
            source_organization__isnull=False,
            themes__isnull=False,
        ),
        "themes",
    ).values_list("source_organization_id", "themes", "pk", "title")
    rows += [("practice", org, theme, pk, title) for org, theme, pk, title in practices]
    actions = themed(
        Action.objects.visible_to(user).filter(
            organization__isnull=False,
            meeting__isnull=False,
            meeting__themes__isnull=False,
            meeting__start__date__gte=first,
            meeting__start__date__lte=last,
        ),
        "meeting__themes",
    ).values_list("organization_id", "meeting__themes", "pk", "title")
    rows += [("action", org, theme, pk, title) for org, theme, pk, title in actions]
    return rows
