"""What a country or organization is found by: its names, folded into one search column."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from django.db.models import Q

from accord.core.names import fold, iso_names, search_words, translated_names

ALIASES_FILE = Path(__file__).parent / "data" / "country-aliases.yaml"


@lru_cache(maxsize=1)
def country_aliases() -> dict[str, tuple[str, ...]]:
    """Our reviewed list of former and common English names, by ISO alpha-3 code."""
    with ALIASES_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {code: tuple(names) for code, names in data.items()}


def _joined(names) -> str:
    # One name per line: a folded search term holds no line break, so it never spans two.
    seen = []
    for name in names:
        folded = fold(name) if name else ""
        if folded and folded not in seen:
            seen.append(folded)
    return "\n".join(seen)


def country_search_text(country) -> str:
    """Its stored names, ISO names in every interface language, and our aliases."""
    code = (country.iso3 or "").upper()
    return _joined(
        [
            country.name,
            country.official_name,
            *iso_names().get(code, ()),
            *translated_names(code),
            *country_aliases().get(code, ()),
        ]
    )


def organization_search_text(organization) -> str:
    """Its acronym, name and former names."""
    former = organization.former_names if isinstance(organization.former_names, list) else []
    return _joined(
        [organization.acronym, organization.name, *(n for n in former if isinstance(n, str))]
    )


def search_q(term: str, field: str = "search_text") -> Q:
    """Every word of the term somewhere in the folded names: one condition per word."""
    words = search_words(term)
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__contains": word})
    return condition
