"""A series' cadence in words, and its next dates.

dateutil reads RFC 5545 rules but does not say them in words, so the common cadences are said
here in the reader's language: every N days, weeks, months or years; every month on the n-th
(or last) weekday; every year on the n-th (or last) weekday of a month. Anything else (a rule
with BYMONTHDAY, several weekdays, BYSETPOS, ...) is shown as the rule itself, which says it
exactly. A phrase is a whole translated sentence part ("on the last Thursday"), never words put
together, because languages inflect the ordinal with the weekday (последний четверг,
последняя пятница).
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import recurrence

# "on the <n-th> <weekday>", by (n, weekday); n = -1 is the last.
ON_WEEKDAY = {
    (1, "MO"): gettext_lazy("on the first Monday"),
    (2, "MO"): gettext_lazy("on the second Monday"),
    (3, "MO"): gettext_lazy("on the third Monday"),
    (4, "MO"): gettext_lazy("on the fourth Monday"),
    (-1, "MO"): gettext_lazy("on the last Monday"),
    (1, "TU"): gettext_lazy("on the first Tuesday"),
    (2, "TU"): gettext_lazy("on the second Tuesday"),
    (3, "TU"): gettext_lazy("on the third Tuesday"),
    (4, "TU"): gettext_lazy("on the fourth Tuesday"),
    (-1, "TU"): gettext_lazy("on the last Tuesday"),
    (1, "WE"): gettext_lazy("on the first Wednesday"),
    (2, "WE"): gettext_lazy("on the second Wednesday"),
    (3, "WE"): gettext_lazy("on the third Wednesday"),
    (4, "WE"): gettext_lazy("on the fourth Wednesday"),
    (-1, "WE"): gettext_lazy("on the last Wednesday"),
    (1, "TH"): gettext_lazy("on the first Thursday"),
    (2, "TH"): gettext_lazy("on the second Thursday"),
    (3, "TH"): gettext_lazy("on the third Thursday"),
    (4, "TH"): gettext_lazy("on the fourth Thursday"),
    (-1, "TH"): gettext_lazy("on the last Thursday"),
    (1, "FR"): gettext_lazy("on the first Friday"),
    (2, "FR"): gettext_lazy("on the second Friday"),
    (3, "FR"): gettext_lazy("on the third Friday"),
    (4, "FR"): gettext_lazy("on the fourth Friday"),
    (-1, "FR"): gettext_lazy("on the last Friday"),
    (1, "SA"): gettext_lazy("on the first Saturday"),
    (2, "SA"): gettext_lazy("on the second Saturday"),
    (3, "SA"): gettext_lazy("on the third Saturday"),
    (4, "SA"): gettext_lazy("on the fourth Saturday"),
    (-1, "SA"): gettext_lazy("on the last Saturday"),
    (1, "SU"): gettext_lazy("on the first Sunday"),
    (2, "SU"): gettext_lazy("on the second Sunday"),
    (3, "SU"): gettext_lazy("on the third Sunday"),
    (4, "SU"): gettext_lazy("on the fourth Sunday"),
    (-1, "SU"): gettext_lazy("on the last Sunday"),
}
# "of <month>", as it follows a weekday ("the last Thursday of June").
OF_MONTH = {
    1: gettext_lazy("of January"),
    2: gettext_lazy("of February"),
    3: gettext_lazy("of March"),
    4: gettext_lazy("of April"),
    5: gettext_lazy("of May"),
    6: gettext_lazy("of June"),
    7: gettext_lazy("of July"),
    8: gettext_lazy("of August"),
    9: gettext_lazy("of September"),
    10: gettext_lazy("of October"),
    11: gettext_lazy("of November"),
    12: gettext_lazy("of December"),
}
NTH_WEEKDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


def _every(freq: str, n: int) -> str:
    if n == 1:
        return {
            "DAILY": _("Every day"),
            "WEEKLY": _("Every week"),
            "MONTHLY": _("Every month"),
            "YEARLY": _("Every year"),
        }[freq]
    if freq == "DAILY":
        return ngettext("Every %(count)s day", "Every %(count)s days", n) % {"count": n}
    if freq == "WEEKLY":
        return ngettext("Every %(count)s week", "Every %(count)s weeks", n) % {"count": n}
    if freq == "MONTHLY":
        return ngettext("Every %(count)s month", "Every %(count)s months", n) % {"count": n}
    return ngettext("Every %(count)s year", "Every %(count)s years", n) % {"count": n}


def _weekday(value: str) -> tuple[int, str] | None:
    """(n, "TH") from "-1TH"; None for anything the phrases do not cover."""
    found = NTH_WEEKDAY.match(value)
    if found is None or found.group(1) is None:
        return None
    key = (int(found.group(1)), found.group(2))
    return key if key in ON_WEEKDAY else None


def _until(value: str) -> str:
    day = value[:8]
    date = datetime.date(int(day[:4]), int(day[4:6]), int(day[6:]))
    return formats.date_format(date, "SHORT_DATE_FORMAT")


def describe(rule: str) -> str | None:
    """The rule in words, or None when it is not one of the common cadences (show the rule)."""
    try:
        parts = recurrence.parts_of(rule)
    except ValidationError:
        return None
    parts.pop("WKST", None)
    freq = parts.pop("FREQ")
    interval = int(parts.pop("INTERVAL", "1"))
    count = parts.pop("COUNT", None)
    until = parts.pop("UNTIL", None)
    byday = parts.pop("BYDAY", None)
    bymonth = parts.pop("BYMONTH", None)
    if parts:  # BYMONTHDAY, BYSETPOS, ...: the rule says it best
        return None
    if byday is None and bymonth is None:
        text = _every(freq, interval)
    else:
        weekday = _weekday(byday) if byday is not None else None
        if weekday is None or interval != 1:
            return None
        if freq == "MONTHLY" and bymonth is None:
            text = _("Every month %(day)s") % {"day": ON_WEEKDAY[weekday]}
        elif freq == "YEARLY" and bymonth is not None and bymonth.isdecimal():
            month = int(bymonth)
            if month not in OF_MONTH:
                return None
            text = _("Every year %(day)s %(month)s") % {
                "day": ON_WEEKDAY[weekday],
                "month": OF_MONTH[month],
            }
        else:
            return None
    if count is not None:
        n = int(count)
        text = ngettext(
            "%(text)s, %(count)s time in all", "%(text)s, %(count)s times in all", n
        ) % {
            "text": text,
            "count": n,
        }
    elif until is not None:
        text = _("%(text)s, until %(date)s") % {"text": text, "date": _until(until)}
    return text


def _local(moment: datetime.datetime, tz) -> datetime.datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def next_dates(
    series,
    *,
    first: datetime.datetime | None,
    last: datetime.datetime | None,
    count: int = 3,
    now: datetime.datetime | None = None,
) -> list[datetime.datetime]:
    """The series' next `count` start times (aware, in its time zone) after its latest meeting.

    The same reading of the rule as services.next_start (the first date is the one "Create the
    next occurrence" takes), from the `first` and `last` meetings the reader may see. Empty when
    the rule gives no further date or there is nothing to start from.
    """
    tz = recurrence.zone(series.time_zone)
    now = now or timezone.now()
    if first is None:
        if series.default_start_time is None:
            return []
        dtstart = datetime.datetime.combine(_local(now, tz).date(), series.default_start_time)
        after = _local(now, tz)
    else:
        dtstart = _local(first, tz)
        if series.default_start_time is not None:
            dtstart = datetime.datetime.combine(dtstart.date(), series.default_start_time)
        after = datetime.datetime.combine(_local(last, tz).date(), datetime.time.max)
    try:
        rule = recurrence.build(series.cadence, dtstart, tz)
    except ValidationError:
        return []
    dates = []
    while len(dates) < count:
        following = rule.after(after, inc=False)
        if following is None:
            break
        dates.append(recurrence.aware(following, tz))
        after = following
    return dates
