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


def _dataset(user, source: str | Dataset) -> Dataset:
    """The data set a source names; a Dataset already read is taken as it is."""
    return source if isinstance(source, Dataset) else dataset_get(user, source)


def _year_spells(user, source, first: int, last: int, other: str, **where) -> list[tuple]:
    """(`other` id, status, first year, last year) of the spells matching `where` that
    overlap [first, last]: the years of an entered spell are those its dates touch."""
    if source != ENTERED:
        return list(
            SourceMembership.objects.visible_to(user)
            .filter(dataset=_dataset(user, source), first_year__lte=last, last_year__gte=first)
            .filter(**where)
            .values_list(other, "status", "first_year", "last_year")
        )
    rows = (
        Membership.objects.visible_to(user)
        .filter(**where)
        .exclude(valid_to__lt=datetime.date(first, 1, 1))
        .exclude(valid_from__gt=datetime.date(last, 12, 31))
        .values_list(other, "status", "valid_from", "valid_to")
    )
    return [
        (pk, status, valid_from.year if valid_from else first, valid_to.year if valid_to else last)
        for pk, status, valid_from, valid_to in rows
    ]


def year_spells(
    user, organization: Organization, source: str | Dataset, first: int, last: int
) -> list[tuple[int, str, int, int]]:
    """(country id, status, first year, last year) of the organization's spells that overlap
    [first, last], from the entered memberships or a data set."""
    return _year_spells(user, source, first, last, "country_id", organization=organization)


def default_years(user, organization: Organization, source: str | Dataset) -> tuple[int, int]:
    """The years a history shows when none are asked: the data set's coverage, or from the
    organization's founding (or first entered spell) to this year."""
    if source != ENTERED:
        dataset = _dataset(user, source)
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


def country_year_spells(
    user, country, source: str | Dataset, first: int, last: int
) -> list[tuple[int, str, int, int]]:
    """(organization id, status, first year, last year) of the country's spells that overlap
    [first, last], from the entered memberships or a data set."""
    return _year_spells(user, source, first, last, "organization_id", country=country)


def country_datasets(user, country) -> list[Dataset]:
    return list(
        Dataset.objects.visible_to(user).filter(spells__country=country).distinct().order_by("key")
    )


def _full_pairs(user, source: str | Dataset, day: datetime.date, **where) -> list:
    """(organization id, country id) of the full memberships matching `where` on a day
    (entered data) or in the day's year (a data set, whose spells are whole years)."""
    if source != ENTERED:
        spells = (
            SourceMembership.objects.visible_to(user)
            .filter(dataset=_dataset(user, source), status="full", **where)
            .in_year(day.year)
        )
    else:
        spells = Membership.objects.visible_to(user).filter(status="full", **where).as_of(day)
    return list(spells.values_list("organization_id", "country_id").distinct())


def full_member_pairs(user, organization_ids, source, day: datetime.date) -> list:
    """(organization id, country id) of the organizations' full members."""
    return _full_pairs(user, source, day, organization_id__in=organization_ids)


def organizations_of_states(user, country_ids, source, day: datetime.date) -> list:
    """(organization id, country id) of the states' full memberships."""
    return _full_pairs(user, source, day, country_id__in=country_ids)


def organizations_by_keys(user, keys: list[str]) -> tuple[list[Organization], list[str]]:
    """The organizations named by acronym (any case) or id, in the order given, each once,
    in one query; and the keys that name none the user may see."""
    from django.db.models.functions import Lower

    ids = [int(key) for key in keys if key.isdecimal() and len(key) < 19]
    found = list(
        Organization.objects.visible_to(user)
        .annotate(lower=Lower("acronym"))
        .filter(models.Q(lower__in=[key.lower() for key in keys]) | models.Q(pk__in=ids))
    )
    by_key = {o.acronym.lower(): o for o in found} | {str(o.pk): o for o in found}
    result, seen = [], set()
    for key in keys:
        organization = by_key.get(key.lower())
        if organization is not None and organization.pk not in seen:
            seen.add(organization.pk)
            result.append(organization)
    return result, [key for key in keys if key.lower() not in by_key]


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
