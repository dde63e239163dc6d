"""The calendar's arithmetic: which days a view shows, and which meetings fall on each day.

Pure functions over dates and meetings already read: the view reads the meetings of the
whole range in one query and places them here. Days are the reader's: a meeting is placed by
its start and end in the reader's time zone, so a 10:00 Europe/Vienna meeting is at 10:00 for a
reader in Vienna and at 09:00 (winter) or 08:00 (summer) for a reader in UTC, and a meeting
that crosses midnight there appears on each day it touches.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

MONTH, WEEK, LIST = "month", "week", "list"
VIEWS = (MONTH, WEEK, LIST)
# A month grid shows this many meetings a day; the rest are counted ("3 more").
DAY_LIMIT = 4
ONE_DAY = datetime.timedelta(days=1)


@dataclass
class Entry:
    """A meeting on one day, with its times in the reader's time zone."""

    meeting: object
    start: datetime.datetime
    end: datetime.datetime
    # It began on an earlier day / goes on after this day.
    continued: bool = False
    continues: bool = False


@dataclass
class Day:
    date: datetime.date
    in_period: bool = True
    is_today: bool = False
    entries: list[Entry] = field(default_factory=list)

    @property
    def shown(self) -> list[Entry]:
        return self.entries[:DAY_LIMIT]

    @property
    def more(self) -> int:
        return max(0, len(self.entries) - DAY_LIMIT)


@dataclass
class Period:
    """What one view of the calendar covers, and where its arrows lead."""

    view: str
    anchor: datetime.date
    # The days drawn, [first, last) — whole weeks for the month grid.
    first: datetime.date
    last: datetime.date
    # The days that belong to the period (the month itself, the week).
    start: datetime.date
    end: datetime.date
    previous: datetime.date
    next: datetime.date


def python_weekday(first_day_of_week: int) -> int:
    """Django's FIRST_DAY_OF_WEEK (0 = Sunday) as Python's weekday (0 = Monday)."""
    return (int(first_day_of_week) - 1) % 7


def week_start(day: datetime.date, first_weekday: int) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - first_weekday) % 7)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after `day`'s."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, datetime.MINYEAR), datetime.MAXYEAR)
    return datetime.date(year, month + 1, 1)


def period(view: str, anchor: datetime.date, first_weekday: int) -> Period:
    if view == WEEK:
        start = week_start(anchor, first_weekday)
        end = start + datetime.timedelta(days=7)
        return Period(view, anchor, start, end, start, end, start - datetime.timedelta(days=7), end)
    start = anchor.replace(day=1)
    end = add_months(start, 1)
    previous = add_months(start, -1)
    if view == LIST:
        return Period(view, anchor, start, end, start, end, previous, end)
    first = week_start(start, first_weekday)
    last = week_start(end - ONE_DAY, first_weekday) + datetime.timedelta(days=7)
    return Period(view, anchor, first, last, start, end, previous, end)


def bounds(first: datetime.date, last: datetime.date, tz: ZoneInfo):
    """[first, last) as aware times: local midnights in `tz`."""
    return (
        datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(last, datetime.time.min, tzinfo=tz),
    )


def local_days(start: datetime.datetime, end: datetime.datetime, tz: ZoneInfo):
    """The reader's days a meeting touches: from its start's day to its end's (a meeting that
    ends at midnight does not touch the next day)."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    first = local_start.date()
    last = local_end.date()
    if local_end.time() == datetime.time.min and last > first:
        last -= ONE_DAY
    return local_start, local_end, first, max(first, last)


def days(meetings, current: Period, tz: ZoneInfo, today: datetime.date) -> list[Day]:
    """Every day of [current.first, current.last) with the meetings on it, in order."""
    by_date: dict[datetime.date, Day] = {}
    day = current.first
    while day < current.last:
        by_date[day] = Day(
            date=day,
            in_period=current.start <= day < current.end,
            is_today=day == today,
        )
        day += ONE_DAY
    for meeting in meetings:
        local_start, local_end, first, last = local_days(meeting.start, meeting.end, tz)
        day = max(first, current.first)
        while day <= last and day < current.last:
            by_date[day].entries.append(
                Entry(
                    meeting=meeting,
                    start=local_start,
                    end=local_end,
                    continued=day > first,
                    continues=day < last,
                )
            )
            day += ONE_DAY
    return list(by_date.values())


def weeks(all_days: list[Day]) -> list[list[Day]]:
    return [all_days[i : i + 7] for i in range(0, len(all_days), 7)]


def weekday_order(first_weekday: int) -> list[int]:
    """Python weekdays (0 = Monday) in the order the grid's columns show them."""
    return [(first_weekday + i) % 7 for i in range(7)]
