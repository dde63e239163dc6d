"""Country and region names in the reader's language, and names folded for searching.

Names are stored in English (ISO 3166-1 as pycountry gives them, regions as countryinfo
gives them) and translated when shown: country names from the iso-codes catalogues that
pycountry ships, region names from CLDR through Babel. A name the catalogues do not know
(one an editor typed) is shown as stored.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache

import babel
import pycountry
from django.db.models import Case, IntegerField, Value, When
from django.utils import translation

# countryinfo's region and sub-region names → UN M49 codes, under which CLDR names them.
M49 = {
    "Africa": "002",
    "Americas": "019",
    "Asia": "142",
    "Europe": "150",
    "Oceania": "009",
    "Australia and New Zealand": "053",
    "Central Asia": "143",
    "Eastern Asia": "030",
    "Eastern Europe": "151",
    "Latin America and the Caribbean": "419",
    "Melanesia": "054",
    "Micronesia": "057",
    "Northern Africa": "015",
    "Northern America": "021",
    "Northern Europe": "154",
    "Polynesia": "061",
    "South-eastern Asia": "035",
    "Southern Asia": "034",
    "Southern Europe": "039",
    "Sub-Saharan Africa": "202",
    "Western Asia": "145",
    "Western Europe": "155",
    # Other M49 areas an editor may type, in CLDR's English.
    "Caribbean": "029",
    "Central America": "013",
    "Eastern Africa": "014",
    "Middle Africa": "017",
    "South America": "005",
    "Southern Africa": "018",
    "Western Africa": "011",
}

LANGUAGES = ("de", "es", "fr", "it", "ru")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case without accents, one kind of apostrophe and hyphen, single spaces.

    "Côte d’Ivoire" and "cote d'ivoire" fold alike; so do "Türkiye" and "TURKIYE".
    """
    text = unicodedata.normalize("NFKD", str(text).translate(_APOSTROPHES).casefold())
    # No accents; control characters (NUL, which PostgreSQL refuses) become spaces.
    text = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if not unicodedata.combining(ch)
    )
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def search_words(term: str) -> list[str]:
    """The folded words of a search term; every one must be found ("Arab League")."""
    return [word for word in fold(term).split(" ") if word]


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0].lower()


@lru_cache(maxsize=16)
def _catalogue(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


@lru_cache(maxsize=4096)
def _country_name(language: str, name: str) -> str:
    if language == "en" or not name:
        return name
    return _catalogue(language).gettext(name)


def country_name(name: str, language: str | None = None) -> str:
    """A stored English country name in the active (or given) language."""
    return _country_name(language or _language(), name)


@lru_cache(maxsize=16)
def _territories(language: str) -> dict:
    try:
        return babel.Locale.parse(language).territories
    except (ValueError, babel.UnknownLocaleError):
        return {}


@lru_cache(maxsize=1024)
def _region_name(language: str, name: str) -> str:
    code = M49.get(name)
    if language == "en" or code is None:
        return name
    return _territories(language).get(code, name)


def region_name(name: str, language: str | None = None) -> str:
    """A stored English region or sub-region name in the active (or given) language."""
    return _region_name(language or _language(), name)


@lru_cache(maxsize=1)
def iso_names() -> dict[str, tuple[str, ...]]:
    """Every English name pycountry gives each alpha-3 code (name, common, official)."""
    names = {}
    for entry in pycountry.countries:
        found = [entry.name]
        for attr in ("common_name", "official_name"):
            value = getattr(entry, attr, None)
            if value and value not in found:
                found.append(value)
        names[entry.alpha_3] = tuple(found)
    return names


def translated_names(iso3: str) -> list[str]:
    """The country's ISO names in every language of the interface (for searching)."""
    english = iso_names().get(iso3, ())
    found = []
    for language in LANGUAGES:
        for name in english:
            local = country_name(name, language)
            if local != name and local not in found:
                found.append(local)
    return found


@lru_cache(maxsize=16)
def _ranks(language: str) -> tuple[tuple[str, int], ...]:
    # The names a country is stored under: pycountry's name, and its common name if any.
    names = {entry.name for entry in pycountry.countries}
    names |= {entry.common_name for entry in pycountry.countries if hasattr(entry, "common_name")}
    ordered = sorted(names, key=lambda name: (fold(country_name(name, language)), name))
    return tuple((name, rank) for rank, name in enumerate(ordered))


def country_name_order(field: str = "name") -> Case | Value:
    """An expression ranking stored English names by their translation (0 in English).

    One CASE over the ~260 ISO names, so a list is sorted as it is shown in one query.
    Names the catalogues do not know come last.
    """
    language = _language()
    if language == "en":
        return Value(0, output_field=IntegerField())
    whens = [When(**{field: name}, then=Value(rank)) for name, rank in _ranks(language)]
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())
