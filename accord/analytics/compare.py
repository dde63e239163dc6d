"""Sources side by side: where the entered memberships and an imported data set disagree about
an organization's full members in a year, the states that differ and why, where known."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accord.registry.models import Country, Organization

from . import analysis, cow, selectors
from .models import Dataset


@functools.cache
def cow_countries() -> frozenset[str]:
    """The country codes COW's states map to in some year (the reviewed table)."""
    return frozenset(cow.read_mapping().codes())


@dataclass
class Difference:
    country: Country
    reason: str


@dataclass
class Comparison:
    dataset: Dataset
    year: int
    entered: int
    imported: int
    only_entered: list[Difference]
    only_imported: list[Difference]

    @property
    def agree(self) -> bool:
        return not self.only_entered and not self.only_imported


def compare(user, organization: Organization, dataset: Dataset, year: int) -> Comparison:
    entered_spells = selectors.year_spells(user, organization, selectors.ENTERED, year, year)
    imported_spells = selectors.year_spells(user, organization, dataset, year, year)
    entered = analysis.members_in_year(entered_spells, year)
    imported = analysis.members_in_year(imported_spells, year)
    differing = entered ^ imported
    countries = Country.objects.visible_to(user).in_bulk(differing)
    edges = selectors.entered_year_edges(user, organization, year) if differing else {}
    in_cow = cow_countries()

    def why_entered(country: Country) -> str:
        if edges.get(country.pk) == "joined":
            return _("Joined in %(year)s: the data set may count it from the next year.") % {
                "year": year
            }
        if country.iso3 not in in_cow:
            return _("Not a state of the data set (its state system leaves it out).")
        return _("Not known.")

    def why_imported(country: Country) -> str:
        if country.is_historical:
            return _(
                "A state that no longer exists (%(first)s–%(last)s); the entered data name "
                "today's states."
            ) % {"first": country.exists_from or "?", "last": country.exists_to}
        if edges.get(country.pk) == "left":
            return _("Left in %(year)s: the data set counts the whole year.") % {"year": year}
        return _("Not entered in Accord for that year.")

    def listed(ids, why):
        rows = [Difference(countries[pk], why(countries[pk])) for pk in ids if pk in countries]
        return sorted(rows, key=lambda d: d.country.display_name)

    return Comparison(
        dataset=dataset,
        year=year,
        entered=len(entered),
        imported=len(imported),
        only_entered=listed(entered - imported, why_entered),
        only_imported=listed(imported - entered, why_imported),
    )
