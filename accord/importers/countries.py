"""Countries from ISO 3166-1 (pycountry) with facts from countryinfo; never typed by hand.

The package facts are then corrected from our reviewed list (data/country-corrections.yaml),
on every load, each correction with its source.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import pycountry
import yaml
from countryinfo import CountryInfo
from django.db import transaction

from accord.core.historical import write_entry
from accord.core.services import attribute
from accord.registry.names import country_search_text

SOURCE = "ISO 3166-1 (pycountry) and countryinfo"
CORRECTIONS_FILE = Path(__file__).parent / "data" / "country-corrections.yaml"
TEXT_FIELDS = {"capital", "region", "subregion", "name", "official_name"}
NUMBER_FIELDS = {"capital_lat", "capital_lng"}
NUMBER_RANGE = {"capital_lat": 90, "capital_lng": 180}


class CorrectionsError(ValueError):
    """The corrections file is malformed; the message names the file, line and entry."""


@dataclass(frozen=True)
class Correction:
    country: str
    field: str
    value: object
    title: str
    url: str
    checked: str
    note: str

    def source(self) -> dict:
        return {
            "value": self.value,
            "title": self.title,
            "url": self.url,
            "checked": self.checked,
            "note": self.note,
        }


class _LineLoader(yaml.SafeLoader):
    """Safe YAML whose mappings remember the line they start on (for error messages)."""


def _mapping_with_line(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def read_corrections(path: Path = CORRECTIONS_FILE) -> list[Correction]:
    """Every correction in the file, all checked first: one bad entry refuses the file."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorrectionsError(f"{path}: cannot be read: {exc}") from None
    entries = data.get("corrections") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorrectionsError(f"{path}: expected a list under “corrections:”.")
    known = {entry.alpha_3 for entry in pycountry.countries}
    found, problems, seen = [], [], set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"{path}: entry {number}: expected a mapping")
            continue
        line = entry.get("__line__", "?")
        code, field = entry.get("country"), entry.get("field")
        at = f"{path}, line {line}: entry {number} ({code} {field})"
        errors = []
        if not isinstance(code, str) or code not in known:
            errors.append(f"unknown ISO 3166-1 alpha-3 code “{code}”")
        if field not in TEXT_FIELDS | NUMBER_FIELDS:
            allowed = ", ".join(sorted(TEXT_FIELDS | NUMBER_FIELDS))
            errors.append(f"unknown field “{field}” (one of: {allowed})")
        if "value" not in entry:
            errors.append("no value (write null to empty the field)")
        value = entry.get("value")
        if field in TEXT_FIELDS and value is not None and not isinstance(value, str):
            errors.append("the value must be text")
        if field in NUMBER_FIELDS and value is not None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                errors.append("the value must be a number")
            elif abs(value) > NUMBER_RANGE[field]:
                errors.append(
                    f"the value must be between -{NUMBER_RANGE[field]} and +{NUMBER_RANGE[field]}"
                )
        source = entry.get("source")
        if not isinstance(source, dict):
            errors.append("no source (title, url, checked)")
            source = {}
        for key in ("title", "url"):
            if not isinstance(source.get(key), str) or not source.get(key).strip():
                errors.append(f"the source has no {key}")
        url = source.get("url")
        if isinstance(url, str) and url.strip() and not url.startswith(("https://", "http://")):
            errors.append("the source url must start with https:// or http://")
        checked = source.get("checked")
        if not isinstance(checked, datetime.date):
            errors.append("the source has no date checked (YYYY-MM-DD)")
        note = entry.get("note")
        if not isinstance(note, str) or not note.strip():
            errors.append("no note")
        if (code, field) in seen:
            errors.append("a second correction of the same fact")
        seen.add((code, field))
        if errors:
            problems.append(f"{at}: " + "; ".join(errors))
            continue
        if field in TEXT_FIELDS and value is None:
            value = ""
        found.append(
            Correction(
                country=code,
                field=field,
                value=float(value) if field in NUMBER_FIELDS and value is not None else value,
                title=source["title"].strip(),
                url=url.strip(),
                checked=checked.isoformat(),
                note=note.strip(),
            )
        )
    if problems:
        raise CorrectionsError("Country corrections refused:\n" + "\n".join(problems))
    return found


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
def load_countries(*, user=None, corrections_path: Path = CORRECTIONS_FILE) -> int:
    """Create the countries that are missing, with their land borders, then apply the
    reviewed corrections to all of them; returns how many countries were created.
    """
    corrections = read_corrections(corrections_path)  # a bad file refuses the whole load
    created = _create_missing(user=user)
    apply_corrections(corrections, user=user)
    return created


def apply_corrections(corrections: list[Correction], *, user=None) -> int:
    """Set each corrected fact and its source; one history entry per country that changed."""
    from accord.registry.models import Country

    by_country: dict[str, list[Correction]] = {}
    for correction in corrections:
        by_country.setdefault(correction.country, []).append(correction)
    changed = 0
    for country in Country.objects.filter(iso3__in=list(by_country)):
        sources = dict(country.fact_sources or {})
        facts = []
        for correction in by_country[country.iso3]:
            if getattr(country, correction.field) != correction.value:
                setattr(country, correction.field, correction.value)
                facts.append(correction.field)
            sources[correction.field] = correction.source()
        if not facts and sources == country.fact_sources:
            continue
        country.fact_sources = sources
        country.full_clean()
        if facts:
            country.version += 1
            attribute(country, user, f"Corrected {', '.join(facts)} from the reviewed list")
            country.skip_history_when_saving = True
            try:
                country.save()
            finally:
                del country.skip_history_when_saving
            write_entry(country, "~")
        else:
            country.save(update_fields=["fact_sources"])
        changed += 1
    return changed


def _create_missing(*, user=None) -> int:
    from accord.registry.models import Country

    existing = set(Country.objects.values_list("iso3", flat=True))
    rows = [row for row in country_rows() if row["iso3"] not in existing]
    if not rows:
        return 0
    new = [Country(**{k: v for k, v in row.items() if k != "borders"}) for row in rows]
    for country in new:  # bulk_create() skips save(), which keeps the search names
        country.search_text = country_search_text(country)
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
