"""Dates in the interface language: one format per language, in text and in inputs.

The format modules (accord/formats/<language>/formats.py) hold each language's format. Text
uses SHORT_DATE_FORMAT, inputs show and parse DATE_INPUT_FORMATS (the first entry is the same
format; ISO 8601 is always accepted). Addresses and the API keep ISO 8601, so that a link
means the same day in every language.
"""

import datetime

from django.http import QueryDict
from django.utils import formats
from django.utils.translation import get_language

# The day the examples in messages show: the 29th cannot be mistaken for a month.
EXAMPLE_DAY = datetime.date(2026, 11, 29)


def placeholder() -> str:
    """How a date is typed in the active language, e.g. "ДД.ММ.ГГГГ"."""
    for module in formats.get_format_modules(get_language()):
        text = getattr(module, "DATE_INPUT_PLACEHOLDER", None)
        if text:
            return text
    return "YYYY-MM-DD"


def example() -> str:
    return formats.date_format(EXAMPLE_DAY, "SHORT_DATE_FORMAT")


def iso_query(query: QueryDict, name: str, day: datetime.date | None) -> QueryDict | None:
    """`query` with `name` written as ISO 8601, or None when it already is (or is empty)."""
    raw = query.get(name, "")
    if day is None or raw == day.isoformat():
        return None
    canonical = query.copy()
    canonical[name] = day.isoformat()
    return canonical
