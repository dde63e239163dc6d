"""Series cadences: yearly, every six months, the last Thursday of June, across DST changes."""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from accord.core.choices import Classification
from accord.meetings import recurrence, services
from accord.meetings.models import Meeting, Series

from .conftest import at, post

VIENNA = ZoneInfo("Europe/Vienna")


def vienna(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=VIENNA)


def make_series(cadence, *, first=None, time_zone="Europe/Vienna", **fields):
    series = services.series_create(
        actor=None,
        title=fields.pop("title", "Talks"),
        format="staff_talks",
        cadence=cadence,
        time_zone=time_zone,
        classification=Classification.PUBLIC,
        **fields,
    )
    if first is not None:
        services.meeting_create(
            actor=None,
            title="First",
            series=series,
            format="staff_talks",
            start=first,
            end=first + datetime.timedelta(hours=3),
            time_zone=time_zone,
            status="held",
        )
    return series


def next_local(series, **kwargs) -> datetime.datetime:
    meeting = services.create_next_occurrence(series, None, **kwargs)
    return meeting.start.astimezone(ZoneInfo(series.time_zone))


def test_yearly(db):
    series = make_series("FREQ=YEARLY", first=vienna(2023, 6, 29, 10))
    assert next_local(series) == vienna(2024, 6, 29, 10)
    assert next_local(series) == vienna(2025, 6, 29, 10)


def test_every_six_months(db):
    series = make_series("FREQ=MONTHLY;INTERVAL=6", first=vienna(2024, 1, 16, 10))
    assert next_local(series) == vienna(2024, 7, 16, 10)
    assert next_local(series) == vienna(2025, 1, 16, 10)
    assert series.cadence_days() == 181


def test_the_last_thursday_of_june(db):
    series = make_series("FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH", first=vienna(2023, 6, 29, 10))
    starts = [next_local(series) for _ in range(3)]
    assert [s.date() for s in starts] == [
        datetime.date(2024, 6, 27),
        datetime.date(2025, 6, 26),
        datetime.date(2026, 6, 25),
    ]
    assert all(s.weekday() == 3 and s.hour == 10 for s in starts)


def test_a_vienna_morning_stays_at_ten_across_the_change_of_clocks(db):
    series = make_series("FREQ=MONTHLY;INTERVAL=6", first=vienna(2025, 1, 15, 10))
    first = Meeting.objects.get(series=series)
    assert first.start.astimezone(datetime.UTC).hour == 9  # 09:00Z in January
    summer = services.create_next_occurrence(series, None)
    assert summer.start == at(2025, 7, 15, 8)  # 08:00Z in July
    assert summer.local_start.hour == 10
    winter = services.create_next_occurrence(series, None)
    assert winter.start == at(2026, 1, 15, 9)


def test_the_api_gives_each_time_with_its_local_offset(world, client_for):
    series = make_series("FREQ=MONTHLY;INTERVAL=6", first=vienna(2025, 1, 15, 10))
    client = client_for(world.users.editor)
    response = post(client, f"/api/v1/series/{series.pk}/next")
    assert response.status_code == 201, response.content
    assert response.json()["start"] == "2025-07-15T10:00:00+02:00"
    first = Meeting.objects.filter(series=series).order_by("start").first()
    body = client.get(f"/api/v1/meetings/{first.pk}").json()
    assert body["start"] == "2025-01-15T10:00:00+01:00"
    assert body["end"] == "2025-01-15T13:00:00+01:00"


def test_the_default_start_time_sets_the_time_of_day(db):
    series = make_series(
        "FREQ=YEARLY", first=vienna(2023, 3, 1, 9), default_start_time=datetime.time(14, 30)
    )
    assert next_local(series) == vienna(2024, 3, 1, 14, 30)


def test_a_series_without_a_meeting_starts_from_its_default_start_time(db):
    series = make_series(
        "FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH",
        default_start_time=datetime.time(10, 0),
        default_duration_minutes=90,
    )
    meeting = services.create_next_occurrence(series, None, now=at(2025, 3, 1, 12))
    assert meeting.local_start == vienna(2025, 6, 26, 10)
    assert meeting.end - meeting.start == datetime.timedelta(minutes=90)


def test_a_series_without_a_meeting_or_a_start_time_is_refused(db):
    series = make_series("FREQ=YEARLY")
    with pytest.raises(ValidationError, match="no meeting yet and no default start time"):
        services.create_next_occurrence(series, None)
    assert not Meeting.objects.exists()


def test_a_rule_that_has_ended_is_refused_with_its_reason(world, client_for):
    series = make_series("FREQ=YEARLY;COUNT=2", first=vienna(2023, 5, 1, 10))
    services.create_next_occurrence(series, None)
    with pytest.raises(ValidationError, match="no date after the latest meeting"):
        services.create_next_occurrence(series, None)
    response = post(client_for(world.users.editor), f"/api/v1/series/{series.pk}/next")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "cadence"]
    assert Meeting.objects.filter(series=series).count() == 2


def test_until_in_utc_is_read_in_the_series_time_zone(db):
    # The last date is 2025-05-01 10:00 Vienna = 08:00Z: an UNTIL of 08:00Z keeps it.
    series = make_series("FREQ=YEARLY;UNTIL=20250501T080000Z", first=vienna(2023, 5, 1, 10))
    assert next_local(series) == vienna(2024, 5, 1, 10)
    assert next_local(series) == vienna(2025, 5, 1, 10)
    with pytest.raises(ValidationError):
        services.create_next_occurrence(series, None)


@pytest.mark.parametrize(
    ("body", "normalized"),
    [
        ("FREQ=YEARLY", "FREQ=YEARLY"),
        ("rrule:freq=monthly;interval=6;", "FREQ=MONTHLY;INTERVAL=6"),
        (" FREQ=YEARLY; BYMONTH=6; BYDAY=-1TH ", "FREQ=YEARLY;BYMONTH=6;BYDAY=-1TH"),
        ("FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20301231", "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20301231"),
    ],
)
def test_good_rules_are_stored_in_one_form(db, body, normalized):
    series = make_series(body)
    assert Series.objects.get(pk=series.pk).cadence == normalized


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "cannot be blank"),
        ("YEARLY", "NAME=VALUE"),
        ("FREQ=HOURLY", "FREQ=DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("FREQ=YEARLY;DTSTART=20200101T100000", "Leave DTSTART out"),
        ("FREQ=DAILY;BYHOUR=10", "time of day comes from"),
        ("FREQ=YEARLY;FOO=1", "not a part of a recurrence rule"),
        ("FREQ=YEARLY;FREQ=DAILY", "given twice"),
        ("FREQ=YEARLY;COUNT=0", "whole number from 1"),
        ("FREQ=YEARLY;INTERVAL=1000", "whole number from 1"),
        ("FREQ=YEARLY;COUNT=2;UNTIL=20300101", "COUNT or UNTIL"),
        ("FREQ=YEARLY;UNTIL=tomorrow", "UNTIL must be"),
        ("FREQ=YEARLY;UNTIL=20301340", "dateutil"),
        ("FREQ=WEEKLY;BYDAY=XX", "dateutil"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no date at all"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31", "no date at all"),
        ("FREQ=YEARLY;BYMONTH=13", "no date at all"),
        ("FREQ=YEARLY;\x00", "NAME=VALUE"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(db, body, message):
    with pytest.raises(ValidationError) as caught:
        make_series(body)
    assert "cadence" in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict["cadence"])


def test_a_rule_that_never_happens_is_refused_quickly():
    started = time.monotonic()
    for body in ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31"):
        with pytest.raises(ValidationError):
            recurrence.validate_cadence(body)
    assert time.monotonic() - started < 5


def test_cadence_days():
    assert recurrence.cadence_days("FREQ=YEARLY") == 365
    assert recurrence.cadence_days("FREQ=WEEKLY;INTERVAL=2") == 14
    assert recurrence.cadence_days("FREQ=YEARLY;COUNT=1") is None
    assert recurrence.cadence_days("nonsense") is None


def test_a_time_the_clocks_skip_is_known():
    assert not recurrence.exists_locally(datetime.datetime(2025, 3, 30, 2, 30), VIENNA)
    assert recurrence.exists_locally(datetime.datetime(2025, 3, 30, 3, 30), VIENNA)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "UTC\x00", "europe/vienna", "x" * 64])
def test_an_unknown_time_zone_is_refused(db, name):
    with pytest.raises(ValidationError) as caught:
        make_series("FREQ=YEARLY", time_zone=name)
    assert "time_zone" in caught.value.message_dict
