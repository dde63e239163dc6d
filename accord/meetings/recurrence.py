"""Series cadences as RFC 5545 recurrence rules (RRULE), evaluated in local wall-clock time.

A series stores the body of its rule ("FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH"), never a DTSTART:
the start of its first meeting is the rule's start. Occurrences are computed as naive local
times in the series' time zone and only then made aware, so a 10:00 Europe/Vienna series stays
at 10:00 in Vienna on both sides of a change of the clocks (09:00Z in January, 08:00Z in July).

dateutil reads the rule. Two of its surprises are handled here rather than met by users: an
UNTIL given in UTC (…Z) next to a naive start is refused by dateutil, so UNTIL is taken out and
put back in local time; and a rule that can never happen (the 30th of February) makes dateutil
loop up to the year 9999, so every rule is first tried over one 400-year Gregorian cycle
placed near that year, which is short and tells whether it ever happens.
"""

from __future__ import annotations

import datetime
import functools
import re
from zoneinfo import ZoneInfo, available_timezones

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The rule parts a cadence may use. The time of day comes from the series' start, not from
# BYHOUR / BYMINUTE / BYSECOND; a meeting happens at most once a day.
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
PARTS = (
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
)
MAX_INTERVAL = 100
MAX_COUNT = 1000
# The Gregorian calendar repeats every 400 years (146,097 days, a whole number of weeks).
CYCLE_YEARS = 400
PROBE_YEAR = datetime.MAXYEAR - CYCLE_YEARS - 1
# A start to judge a rule by when there is no meeting yet (a Monday, at a working hour).
REFERENCE_START = datetime.datetime(2001, 1, 1, 10, 0)  # noqa: DTZ001 - local wall-clock time
UNTIL_PATTERN = re.compile(r"^(\d{8})(?:T(\d{6})(Z?))?$")


@functools.cache
def time_zone_names() -> frozenset[str]:
    # available_timezones() walks the time zone database on disk at every call (tens of ms):
    # read it once per process, as every meeting's local time asks for it.
    return frozenset(available_timezones())


def validate_time_zone(value: str) -> None:
    if not isinstance(value, str) or value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone of the IANA database (such as Europe/Vienna)."),
            code="time_zone",
            params={"value": str(value)[:64]},
        )


def zone(name: str) -> ZoneInfo:
    """The time zone `name` (validated when stored); UTC if it is not one."""
    if name in time_zone_names():
        return ZoneInfo(name)
    return ZoneInfo("UTC")


def normalize(body: str) -> str:
    """The rule as stored: upper case, without an "RRULE:" prefix, spaces or a final ";"."""
    body = re.sub(r"\s+", "", str(body or "")).upper()
    if body.startswith("RRULE:"):
        body = body[len("RRULE:") :]
    return body.strip(";")


def parts_of(body: str) -> dict[str, str]:
    """The rule's parts by name, or a ValidationError saying what is wrong with it."""
    body = normalize(body)
    if not body:
        raise ValidationError(_("Enter a recurrence rule, such as FREQ=YEARLY."), code="cadence")
    parts: dict[str, str] = {}
    for piece in body.split(";"):
        name, sep, value = piece.partition("=")
        if not sep or not name or not value:
            raise ValidationError(
                _("“%(part)s” is not a NAME=VALUE part of a recurrence rule."),
                code="cadence",
                params={"part": piece[:40]},
            )
        if name == "DTSTART":
            raise ValidationError(
                _("Leave DTSTART out: the series' first meeting gives the start."),
                code="cadence",
            )
        if name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            raise ValidationError(
                _("Leave %(part)s out: the time of day comes from the series' start time."),
                code="cadence",
                params={"part": name},
            )
        if name not in PARTS:
            raise ValidationError(
                _("%(part)s is not a part of a recurrence rule."),
                code="cadence",
                params={"part": name[:40]},
            )
        if name in parts:
            raise ValidationError(
                _("%(part)s is given twice."), code="cadence", params={"part": name}
            )
        parts[name] = value
    if parts.get("FREQ") not in FREQUENCIES:
        raise ValidationError(
            _("The rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."), code="cadence"
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError(_("Give COUNT or UNTIL, not both."), code="cadence")
    for name, limit in (("INTERVAL", MAX_INTERVAL), ("COUNT", MAX_COUNT)):
        if name in parts and not (parts[name].isdecimal() and 1 <= int(parts[name]) <= limit):
            raise ValidationError(
                _("%(part)s must be a whole number from 1 to %(limit)s."),
                code="cadence",
                params={"part": name, "limit": limit},
            )
    if "UNTIL" in parts and not UNTIL_PATTERN.match(parts["UNTIL"]):
        raise ValidationError(
            _("UNTIL must be a date (20301231) or a time (20301231T120000Z)."), code="cadence"
        )
    return parts


def _until_local(value: str, tz: ZoneInfo) -> datetime.datetime:
    """UNTIL as a naive local time: a date is the end of that day, a UTC time is converted."""
    day, clock, utc = UNTIL_PATTERN.match(value).groups()
    date = datetime.date(int(day[:4]), int(day[4:6]), int(day[6:]))
    if clock is None:
        return datetime.datetime.combine(date, datetime.time.max)
    moment = datetime.datetime.combine(
        date, datetime.time(int(clock[:2]), int(clock[2:4]), int(clock[4:]))
    )
    if utc:
        return moment.replace(tzinfo=datetime.UTC).astimezone(tz).replace(tzinfo=None)
    return moment


def build(body: str, dtstart: datetime.datetime, tz: ZoneInfo) -> rrule:
    """The rule from a naive local start: a ValidationError if it is malformed or never happens."""
    parts = parts_of(body)
    until = parts.pop("UNTIL", None)
    text = ";".join(f"{name}={value}" for name, value in parts.items())
    try:
        rule = rrulestr(text, dtstart=dtstart)
        if until is not None:
            rule = rule.replace(until=_until_local(until, tz))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise ValidationError(
            _("This is not a recurrence rule dateutil can read: %(reason)s"),
            code="cadence",
            params={"reason": str(exc)[:200]},
        ) from exc
    if not _ever_happens(rule, dtstart):
        raise ValidationError(_("This rule gives no date at all."), code="cadence")
    return rule


def _ever_happens(rule: rrule, dtstart: datetime.datetime) -> bool:
    """Whether the rule (without its COUNT or UNTIL) has a date within one 400-year cycle.

    Tried from the same day of the calendar cycle near the year 9999, so that dateutil, which
    gives up only after that year, stops after at most one cycle.
    """
    shift = max(0, (PROBE_YEAR - dtstart.year) // CYCLE_YEARS) * CYCLE_YEARS
    try:
        start = dtstart.replace(year=dtstart.year + shift)
        probe = rule.replace(dtstart=start, count=None, until=None)
        return probe.after(start, inc=True) is not None
    except (ValueError, OverflowError):
        return False


def validate_cadence(value: str) -> None:
    build(value, REFERENCE_START, ZoneInfo("UTC"))


def cadence_days(body: str) -> int | None:
    """About how many days apart two meetings of the rule are (its first two dates)."""
    try:
        rule = build(body, REFERENCE_START, ZoneInfo("UTC"))
    except ValidationError:
        return None
    first = rule.after(REFERENCE_START, inc=True)
    second = rule.after(first) if first is not None else None
    if second is None:
        return None
    return max(1, (second.date() - first.date()).days)


def aware(local: datetime.datetime, tz: ZoneInfo) -> datetime.datetime:
    """A naive local wall-clock time in `tz` as an aware time."""
    return local.replace(tzinfo=tz)


def exists_locally(local: datetime.datetime, tz: ZoneInfo) -> bool:
    """False for a time the clocks skip (02:30 on the night summer time begins)."""
    moment = local.replace(tzinfo=tz)
    back = moment.astimezone(datetime.UTC).astimezone(tz).replace(tzinfo=None)
    return back == local


def next_after(
    body: str,
    *,
    tz: ZoneInfo,
    dtstart: datetime.datetime,
    after: datetime.datetime,
) -> datetime.datetime | None:
    """The rule's first local date-time strictly after `after` (naive, local), or None."""
    rule = build(body, dtstart, tz)
    return rule.after(after, inc=False)
