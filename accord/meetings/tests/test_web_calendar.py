"""The calendar: days in the reader's time zone, across the change of the clocks and midnight;
and the series' cadence in words."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import translation

from accord.meetings import cadence, calendar, services

VIENNA = ZoneInfo("Europe/Vienna")


def vienna_meeting(title, day, hour=10, hours=2, **fields):
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=VIENNA)
    return services.meeting_create(
        actor=None,
        title=title,
        format="bilateral",
        start=start,
        end=start + datetime.timedelta(hours=hours),
        time_zone="Europe/Vienna",
        classification=fields.pop("classification", "public"),
        **fields,
    )


def shown_times(page: str, title: str) -> list[str]:
    """The times the calendar shows for a meeting (in each place it appears)."""
    pattern = r'<span class="cal-time">([^<]*)</span> ' + re.escape(title) + "<"
    return re.findall(pattern, page)


@pytest.mark.parametrize(
    ("zone", "winter", "summer"),
    [("Europe/Vienna", "10:00", "10:00"), ("UTC", "09:00", "08:00")],
)
def test_a_ten_oclock_vienna_meeting_across_the_change_of_the_clocks(
    world, client_for, zone, winter, summer
):
    january = vienna_meeting("WINTER-TALKS", datetime.date(2025, 1, 15))
    july = vienna_meeting("SUMMER-TALKS", datetime.date(2025, 7, 15))
    assert january.start == datetime.datetime(2025, 1, 15, 9, tzinfo=datetime.UTC)
    assert july.start == datetime.datetime(2025, 7, 15, 8, tzinfo=datetime.UTC)
    client = client_for(world.users.viewer)
    with override_settings(TIME_ZONE=zone):
        for view in ("month", "week"):
            page = client.get(f"/meetings/calendar/?view={view}&date=2025-01-15").content.decode()
            assert shown_times(page, "WINTER-TALKS") == [winter], view
            page = client.get(f"/meetings/calendar/?view={view}&date=2025-07-15").content.decode()
            assert shown_times(page, "SUMMER-TALKS") == [summer], view
        page = client.get("/meetings/calendar/?view=list&date=2025-07-01").content.decode()
        assert f"{summer}–" in page and f"Times in {zone}." in page
        # The meeting page gives both: the meeting's time, and the reader's when it differs.
        page = client.get(july.get_absolute_url()).content.decode()
        assert ">Tue 2025-07-15 10:00</time>" in page
        if zone == "UTC":
            assert "Your time (UTC):" in page and ">Tue 2025-07-15 08:00</time>" in page
        else:
            assert "Your time" not in page


def test_a_meeting_across_midnight_is_on_both_days(world, client_for):
    vienna_meeting("NIGHT-CALL", datetime.date(2025, 3, 10), hour=23, hours=2)
    client = client_for(world.users.viewer)
    with override_settings(TIME_ZONE="Europe/Vienna"):
        page = client.get("/meetings/calendar/?view=week&date=2025-03-10").content.decode()
        assert shown_times(page, "NIGHT-CALL") == ["23:00–…", "…–01:00"]
        page = client.get("/meetings/calendar/?view=list&date=2025-03-10").content.decode()
        assert page.count("NIGHT-CALL") == 2
    # In UTC it is 22:00 to 00:00: one day only.
    with override_settings(TIME_ZONE="UTC"):
        page = client.get("/meetings/calendar/?view=week&date=2025-03-10").content.decode()
        assert shown_times(page, "NIGHT-CALL") == ["22:00"]


def test_the_month_grid_starts_on_monday_with_whole_weeks(world, client_for):
    page = client_for(world.users.viewer).get("/meetings/calendar/?date=2025-03-20")
    body = page.content.decode()
    assert "March 2025" in body
    # March 2025 begins on a Saturday: the grid starts on Monday 24 February, ends on 6 April.
    days = re.findall(r'<div class="cal-day[^"]*" role="listitem">', body)
    assert len(days) == 42
    first = body.index('class="cal-weekday"')
    assert body[first : first + 40].find("Mon") > 0
    # The arrows lead to the months around it, "Today" to today, with the filters kept.
    page = client_for(world.users.viewer).get("/meetings/calendar/?date=2025-03-20&kind=visit")
    body = page.content.decode()
    assert "date=2025-02-01" in body and "date=2025-04-01" in body
    following = re.search(r'href="([^"]+)" rel="next"', body).group(1).replace("&amp;", "&")
    assert sorted(following.split("?")[1].split("&")) == [
        "date=2025-04-01",
        "kind=visit",
        "view=month",
    ]


def test_the_calendar_filters(world, mw, client_for):
    client = client_for(world.users.editor)
    url = "/meetings/calendar/?view=list&date=2024-03-01"
    assert "UN-SHARED-MEETING" in client.get(url).content.decode()
    for query, shown in (
        ("&organization=UN", True),
        ("&organization=SCO", False),
        ("&kind=bilateral", True),
        ("&kind=visit", False),
        ("&status=planned", True),
        ("&status=held", False),
        ("&theme=human-rights", False),
    ):
        body = client.get(url + query).content.decode()
        assert ("UN-SHARED-MEETING" in body) == shown, query
    # The theme filter takes the themes under a dimension too.
    body = client.get("/meetings/calendar/?view=list&date=2024-01-01&theme=human").content.decode()
    assert "Staff talks 2024" in body


def test_bad_calendar_input_is_told_and_today_shown(world, client_for):
    client = client_for(world.users.viewer)
    for query in (
        "date=2024-02-31",
        "date=99999-01-01",
        "view=year",
        "organization=NOPE",
        "theme=%00",
        "kind=%00",
    ):
        response = client.get(f"/meetings/calendar/?{query}")
        assert response.status_code == 200, query
        assert "alert-warning" in response.content.decode(), query
    response = client.get("/meetings/calendar/?date=0001-01-01")
    assert "between the years" in response.content.decode()


def test_the_calendar_arithmetic():
    monday = calendar.python_weekday(1)
    assert monday == 0 and calendar.python_weekday(0) == 6
    week = calendar.period("week", datetime.date(2025, 3, 12), monday)
    assert (week.first, week.last) == (datetime.date(2025, 3, 10), datetime.date(2025, 3, 17))
    month = calendar.period("month", datetime.date(2024, 12, 5), monday)
    assert month.previous == datetime.date(2024, 11, 1)
    assert month.next == datetime.date(2025, 1, 1)
    sunday_first = calendar.period("month", datetime.date(2025, 3, 1), calendar.python_weekday(0))
    assert sunday_first.first == datetime.date(2025, 2, 23)
    # A meeting ending at midnight does not touch the next day.
    start = datetime.datetime(2025, 3, 10, 22, tzinfo=datetime.UTC)
    *_, first, last = calendar.local_days(start, start + datetime.timedelta(hours=2), datetime.UTC)
    assert first == last == datetime.date(2025, 3, 10)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=YEARLY", "Every year"),
        ("FREQ=YEARLY;INTERVAL=2", "Every 2 years"),
        ("FREQ=MONTHLY;INTERVAL=6", "Every 6 months"),
        ("FREQ=MONTHLY", "Every month"),
        ("FREQ=WEEKLY;INTERVAL=2", "Every 2 weeks"),
        ("FREQ=MONTHLY;BYDAY=-1TH", "Every month on the last Thursday"),
        ("FREQ=MONTHLY;BYDAY=2TU", "Every month on the second Tuesday"),
        ("FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH", "Every year on the last Thursday of June"),
        ("FREQ=YEARLY;COUNT=5", "Every year, 5 times in all"),
        ("FREQ=MONTHLY;INTERVAL=3;UNTIL=20301231", "Every 3 months, until 2030-12-31"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", None),
        ("FREQ=MONTHLY;BYDAY=MO,TU", None),
        ("FREQ=YEARLY;BYMONTH=6", None),
        ("FREQ=MONTHLY;BYDAY=-2FR", None),
        ("nonsense", None),
    ],
)
def test_the_cadence_in_words(rule, words):
    with translation.override("en"):
        assert cadence.describe(rule) == words


def test_the_cadence_in_russian():
    with translation.override("ru"):
        assert cadence.describe("FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH") == (
            "Каждый год в последний четверг июня"
        )
        assert cadence.describe("FREQ=MONTHLY;BYDAY=-1FR") == "Каждый месяц в последнюю пятницу"
        assert cadence.describe("FREQ=MONTHLY;INTERVAL=6") == "Каждые 6 месяцев"


def test_the_next_dates_follow_the_service(world, mw):
    series = mw.series
    first = last = mw.public.start
    dates = cadence.next_dates(series, first=first, last=last)
    assert dates[0] == services.next_start(series)
    assert [d.year for d in dates] == [2025, 2026, 2027]
    assert all(d.astimezone(VIENNA).hour == 10 for d in dates)
    # The last Thursday of June, in summer time: 10:00 in Vienna.
    june = services.series_create(
        actor=None,
        title="June talks",
        format="bilateral",
        cadence="FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH",
        time_zone="Europe/Vienna",
        default_start_time=datetime.time(10),
    )
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    dates = cadence.next_dates(june, first=None, last=None, now=now)
    assert [d.date() for d in dates] == [
        datetime.date(2025, 6, 26),
        datetime.date(2026, 6, 25),
        datetime.date(2027, 6, 24),
    ]
    assert dates[0].astimezone(datetime.UTC).hour == 8
