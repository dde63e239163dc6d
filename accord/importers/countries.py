"""Countries from ISO 3166-1 (pycountry) with facts from countryinfo; never typed by hand."""

from __future__ import annotations

import pycountry
from countryinfo import CountryInfo
from django.db import transaction

from accord.core.historical import write_entry
from accord.core.services import attribute

SOURCE = "ISO 3166-1 (pycountry) and countryinfo"


def country_rows() -> list[dict]:
    """One plain row per ISO 3166-1 country."""
    rows = []
    for entry in pycountry.countries:
        info = CountryInfo(entry.alpha_3)
        latlng = info.capital_latlng() or [None, None]
        rows.append(
            {
                "iso3": entry.alpha_3,
                "iso2": entry.alpha_2,
                "numeric": entry.numeric,
                "name": getattr(entry, "common_name", None) or entry.name,
                "official_name": getattr(entry, "official_name", "") or "",
                "region": info.region() or "",
                "subregion": info.subregion() or "",
                "capital": info.capital() or "",
                "capital_lat": latlng[0] if len(latlng) == 2 else None,
                "capital_lng": latlng[1] if len(latlng) == 2 else None,
                "borders": sorted(info.borders() or []),
            }
        )
    return rows


@transaction.atomic
def load_countries(*, user=None) -> int:
    """Create the countries that are missing, with their land borders; returns how many."""
    from accord.registry.models import Country

    existing = set(Country.objects.values_list("iso3", flat=True))
    rows = [row for row in country_rows() if row["iso3"] not in existing]
    if not rows:
        return 0
    new = [Country(**{k: v for k, v in row.items() if k != "borders"}) for row in rows]
    Country.objects.bulk_create(new)
    ids = dict(Country.objects.values_list("iso3", "pk"))
    through = Country.borders.through
    pairs = set()
    for row in rows:
        for neighbour in row["borders"]:
            if neighbour in ids:
                a, b = ids[row["iso3"]], ids[neighbour]
                pairs.add((a, b))
                pairs.add((b, a))
    through.objects.bulk_create(
        [through(from_country_id=a, to_country_id=b) for a, b in sorted(pairs)],
        ignore_conflicts=True,
    )
    # History last, so each first entry holds the country's borders too.
    for country in Country.objects.filter(iso3__in=[row["iso3"] for row in rows]):
        attribute(country, user, f"Loaded from {SOURCE}")
        write_entry(country, "+")
    return len(new)
