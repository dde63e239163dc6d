"""Input rules every API schema shares: bounded lengths, and what null means in a PATCH."""

from __future__ import annotations

import datetime
import re
from typing import Annotated

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator

from .api import invalid

# Ids and offsets beyond bigint are a 422; a long text has the same limit as in forms.
from .forms import BIGINT_MAX, TEXT_MAX

# An acronym, an ISO code or a numeric id given as a reference to another record.
REF_MAX = 40
# Items in a list of references or names.
LIST_MAX = 500
# A search term.
SEARCH_MAX = 200

# An acronym, id or ISO code naming another record.
Ref = Annotated[str, Field(max_length=REF_MAX)]


def iso_day(value):
    """A day as YYYY-MM-DD only: pydantic alone reads 0 or "0" as 1970-01-01."""
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("Enter a day as YYYY-MM-DD.")


# A day in a body or a query string.
Day = Annotated[datetime.date, BeforeValidator(iso_day)]

DATETIME_PATTERN = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?"
)


def iso_datetime(value):
    """A date and time as ISO 8601 only, with or without an offset (no bare numbers)."""
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and DATETIME_PATTERN.fullmatch(value):
        return value
    raise ValueError("Enter a date and time as YYYY-MM-DDTHH:MM, with an offset or without.")


# A date and time: with an offset (2025-01-15T10:00:00+01:00, …Z) it is that instant; without
# one it is a wall-clock time that the endpoint reads in the record's time zone.
DateTime = Annotated[datetime.datetime, BeforeValidator(iso_datetime)]


def iso_time(value):
    """A time of day as HH:MM or HH:MM:SS only."""
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", value):
        return value
    raise ValueError("Enter a time of day as HH:MM.")


# A time of day (no date, no offset).
TimeOfDay = Annotated[datetime.time, BeforeValidator(iso_time)]


class Paged(LimitOffsetPagination):
    """`{"count": N, "items": [...]}` with `limit` (at most 500) and `offset`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=BIGINT_MAX)


def max_length_of(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    return getattr(field, "max_length", None) or TEXT_MAX


def text(model: type[models.Model], name: str, default="", **kwargs):
    """A schema field for the model's text field `name`, as long as the column allows."""
    return Field(default, max_length=max_length_of(model, name), **kwargs)


def ref(default=..., **kwargs):
    return Field(default, max_length=REF_MAX, **kwargs)


def nulls_as_empty(model: type[models.Model], data: dict, where: str = "body") -> dict:
    """Null in a PATCH: empty for text and lists, none for an optional relation or date.

    A field that cannot be empty (a choice, a required number or relation) gets a 422 naming
    it, instead of reaching the database as NULL.
    """
    for name, value in list(data.items()):
        if value is not None:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            data[name] = []
        elif isinstance(field, models.JSONField):
            data[name] = field.get_default()
        elif field.null:
            continue
        elif isinstance(field, models.CharField | models.TextField) and not field.choices:
            data[name] = ""
        else:
            raise invalid(name, "May not be null.", where)
    return data
