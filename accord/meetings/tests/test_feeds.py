"""iCalendar downloads and the secret calendar feed: time zones, visibility, revoke, renew."""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accord.core.choices import Classification, Role
from accord.core.models import Profile
from accord.meetings import services
from accord.meetings.models import CalendarFeed

UTC = datetime.UTC
VIENNA = ZoneInfo("Europe/Vienna")


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The feed's rate limit counts in the cache; each test starts with none spent.
    cache.clear()


def parse(response) -> Calendar:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def utc(prop) -> datetime.datetime:
    return prop.dt.astimezone(UTC)


def vienna_meeting(world, title, day, **extra):
    """A meeting at 10:00–12:00 wall-clock time in Vienna on `day`."""
    start = datetime.datetime.combine(day, datetime.time(10), VIENNA)
    fields = {
        "actor": None,
        "title": title,
        "format": "bilateral",
        "start": start,
        "end": start + datetime.timedelta(hours=2),
        "time_zone": "Europe/Vienna",
        "place": "Hofburg, Vienna",
        "host_organization": world.osce,
        "organizations": [world.osce, world.un],
        "classification": Classification.PUBLIC,
    }
    fields.update(extra)
    return services.meeting_create(**fields)


@pytest.fixture
def soon(world):
    """Meetings around today (the feed covers a year back to two years ahead)."""
    today = timezone.localdate()
    d = datetime.timedelta
    public = vienna_meeting(world, "PUBLIC-SOON", today + d(days=10))
    services.agenda_item_create(actor=None, meeting=public, title="Early warning")
    services.agenda_item_create(actor=None, meeting=public, title="Border management")
    shared = vienna_meeting(
        world,
        "UN-SHARED-SOON",
        today + d(days=20),
        classification=Classification.INTERNAL,
        shared_with=[world.un],
    )
    internal = vienna_meeting(
        world, "INTERNAL-SOON", today + d(days=30), classification=Classification.INTERNAL
    )
    restricted = vienna_meeting(
        world,
        "RESTRICTED-SOON",
        today + d(days=40),
        classification=Classification.RESTRICTED,
        organizations=[world.sco],
    )
    past = vienna_meeting(world, "PAST-IN-WINDOW", today - d(days=200), status="held")
    too_old = vienna_meeting(world, "TOO-OLD", today - d(days=400), status="held")
    too_far = vienna_meeting(world, "TOO-FAR", today + d(days=800))
    return SimpleNamespace(
        public=public,
        shared=shared,
        internal=internal,
        restricted=restricted,
        past=past,
        too_old=too_old,
        too_far=too_far,
    )


def subscribe(client, user) -> str:
    """Make the user's feed through the page; the path of its address (shown once)."""
    client.force_login(user)
    response = client.post(reverse("meeting_feeds:subscription"), {"action": "create"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    found = re.search(r'value="(https?://[^"]+/calendar/feed/[^"]+\.ics)"', response.text)
    assert found, response.text
    client.logout()
    return urlsplit(found.group(1)).path


# ---------------------------------------------------------------- downloads, time zones


@pytest.mark.django_db
def test_dst_10_vienna_is_09z_in_january_and_08z_in_july(world, client_for):
    january = vienna_meeting(world, "January talks", datetime.date(2025, 1, 16))
    july = vienna_meeting(world, "July talks", datetime.date(2025, 7, 16))
    client = client_for(world.users.viewer)
    for meeting, hour in ((january, 9), (july, 8)):
        cal = parse(client.get(reverse("meeting_feeds:meeting_ics", args=[meeting.pk])))
        (event,) = cal.walk("VEVENT")
        assert event["DTSTART"].params["TZID"] == "Europe/Vienna"
        assert event["DTSTART"].dt.hour == 10  # wall-clock time in Vienna
        assert utc(event["DTSTART"]) == datetime.datetime(
            2025, 1 if hour == 9 else 7, 16, hour, tzinfo=UTC
        )
        assert utc(event["DTEND"]) - utc(event["DTSTART"]) == datetime.timedelta(hours=2)
        # The VTIMEZONE the TZID names is in the file.
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Vienna"]
        assert not cal.get_missing_tzids()


@pytest.mark.django_db
def test_meeting_ics_fields_uid_sequence_status(world, client_for):
    meeting = vienna_meeting(
        world, "Staff talks", datetime.date(2025, 3, 4), online_link="https://meet.example.org/x"
    )
    services.agenda_item_create(actor=None, meeting=meeting, title="Opening")
    client = client_for(world.users.viewer)
    url = reverse("meeting_feeds:meeting_ics", args=[meeting.pk])
    response = client.get(url)
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    (event,) = parse(response).walk("VEVENT")
    uid = str(event["UID"])
    assert uid.startswith(f"meeting-{meeting.pk}@")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert str(event["LOCATION"]) == "Hofburg, Vienna"
    assert str(event["URL"]) == "https://meet.example.org/x"
    assert str(event["CLASS"]) == "PUBLIC"
    description = str(event["DESCRIPTION"])
    for text in ("Bilateral", "Headquarters", "OSCE, UN", "1. Opening"):
        assert text in description
    assert event["LAST-MODIFIED"].dt == meeting.updated.replace(microsecond=0)

    for status, expected in (("postponed", "TENTATIVE"), ("cancelled", "CANCELLED")):
        meeting = services.meeting_update(
            actor=world.users.editor, meeting=meeting, expected_version=None, status=status
        )
        (event,) = parse(client.get(url)).walk("VEVENT")
        assert str(event["UID"]) == uid  # the same event, updated
        assert str(event["STATUS"]) == expected
        assert event["SEQUENCE"] == meeting.version - 1


@pytest.mark.django_db
def test_downloads_follow_the_policy(world, client_for, client, soon):
    url = reverse("meeting_feeds:meeting_ics", args=[soon.restricted.pk])
    assert client_for(world.users.viewer).get(url).status_code == 404
    assert client_for(world.users.partner).get(url).status_code == 404
    assert client_for(world.users.editor).get(url).status_code == 200
    assert client_for(world.users.norole).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # the login page
    missing = reverse("meeting_feeds:meeting_ics", args=[10**12])
    assert client_for(world.users.editor).get(missing).status_code == 404
    huge = "/meetings/99999999999999999999999/ics/"
    assert client_for(world.users.editor).get(huge).status_code == 404


@pytest.mark.django_db
def test_series_ics_holds_its_visible_meetings(world, client_for):
    series = services.series_create(
        actor=None,
        title="OSCE–UN staff talks",
        format="staff_talks",
        cadence="FREQ=YEARLY",
        time_zone="Europe/Vienna",
        classification=Classification.PUBLIC,
    )
    vienna_meeting(world, "Talks 2024", datetime.date(2024, 1, 16), series=series)
    vienna_meeting(world, "Talks 2025", datetime.date(2025, 7, 16), series=series)
    vienna_meeting(
        world,
        "RESTRICTED-TALKS",
        datetime.date(2025, 9, 1),
        series=series,
        classification=Classification.RESTRICTED,
    )
    vienna_meeting(world, "Other meeting", datetime.date(2025, 2, 1))
    url = reverse("meeting_feeds:series_ics", args=[series.pk])
    viewer = events(parse(client_for(world.users.viewer).get(url)))
    assert set(viewer) == {"Talks 2024", "Talks 2025"}
    editor = events(parse(client_for(world.users.editor).get(url)))
    assert set(editor) == {"Talks 2024", "Talks 2025", "RESTRICTED-TALKS"}
    hidden = services.series_create(
        actor=None,
        title="RESTRICTED-SERIES",
        format="bilateral",
        cadence="FREQ=YEARLY",
        classification=Classification.RESTRICTED,
    )
    hidden_url = reverse("meeting_feeds:series_ics", args=[hidden.pk])
    assert client_for(world.users.viewer).get(hidden_url).status_code == 404


# ---------------------------------------------------------------- the feed


@pytest.mark.django_db
def test_feed_needs_no_login_and_covers_a_year_back_to_two_ahead(world, client, soon):
    path = subscribe(client, world.users.editor)
    assert not client.session.get("_auth_user_id")
    response = client.get(path)
    cal = parse(response)
    assert response["Cache-Control"] == "private, no-store"
    assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"
    assert cal["REFRESH-INTERVAL"].dt == datetime.timedelta(hours=1)
    got = events(cal)
    assert set(got) == {
        "PUBLIC-SOON",
        "UN-SHARED-SOON",
        "INTERNAL-SOON",
        "RESTRICTED-SOON",
        "PAST-IN-WINDOW",
    }
    assert "2. Border management" in str(got["PUBLIC-SOON"]["DESCRIPTION"])
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Vienna"]
    # Ten in the morning in Vienna, whatever the season: the UTC hour follows the clocks.
    for event in cal.walk("VEVENT"):
        local = event["DTSTART"].dt
        assert local.hour == 10
        assert utc(event["DTSTART"]).hour == (8 if local.dst() else 9)


@pytest.mark.django_db
def test_feed_visibility_by_role(world, client, django_user_model, soon):
    from conftest import make_user

    sco_partner = make_user(django_user_model, "sco-partner", Role.PARTNER, world.sco)
    expected = {
        world.users.viewer: {"PUBLIC-SOON", "UN-SHARED-SOON", "INTERNAL-SOON", "PAST-IN-WINDOW"},
        world.users.partner: {"PUBLIC-SOON", "UN-SHARED-SOON", "PAST-IN-WINDOW"},
        sco_partner: {"PUBLIC-SOON", "PAST-IN-WINDOW"},
    }
    for user, titles in expected.items():
        path = subscribe(client, user)
        got = set(events(parse(client.get(path))))
        assert got == titles, user
        assert "RESTRICTED-SOON" not in got


@pytest.mark.django_db
def test_feed_obeys_the_role_at_read_time(world, client, soon):
    user = world.users.viewer
    path = subscribe(client, user)
    assert "INTERNAL-SOON" in events(parse(client.get(path)))
    # Now a partner for the SCO: the internal meetings go, at the next read.
    Profile.objects.filter(user=user).update(role=Role.PARTNER, organization=world.sco)
    got = set(events(parse(client.get(path))))
    assert got == {"PUBLIC-SOON", "PAST-IN-WINDOW"}
    # A partner for the UN sees what is shared with the UN.
    Profile.objects.filter(user=user).update(organization=world.un)
    assert "UN-SHARED-SOON" in events(parse(client.get(path)))
    # Made an editor: the restricted meeting appears.
    Profile.objects.filter(user=user).update(role=Role.EDITOR, organization=None)
    assert "RESTRICTED-SOON" in events(parse(client.get(path)))
    # Without a role, or inactive: nothing at all, a 404.
    Profile.objects.filter(user=user).delete()
    assert client.get(path).status_code == 404
    Profile.objects.create(user=user, role=Role.VIEWER)
    assert client.get(path).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_revoked_feed_is_404_and_renew_replaces_the_address(world, client, soon):
    user = world.users.viewer
    first = subscribe(client, user)
    assert client.get(first).status_code == 200
    second = subscribe(client, user)  # renew: a new address, the old one stops
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert CalendarFeed.objects.filter(user=user).count() == 1

    client.force_login(user)
    page = client.get(reverse("meeting_feeds:subscription"))
    assert "Renew" in page.text and "Revoke" in page.text
    token = second.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in page.text  # shown once only
    response = client.post(reverse("meeting_feeds:subscription"), {"action": "revoke"})
    assert response.status_code == 302
    client.logout()
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_only_a_hash_of_the_token_is_stored(world, client):
    path = subscribe(client, world.users.viewer)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=world.users.viewer)
    assert token not in (feed.key_hash, feed.prefix)
    assert feed.prefix == token[:8]
    assert len(feed.key_hash) == 64


@pytest.mark.django_db
def test_unknown_and_malformed_tokens_are_404(world, client):
    subscribe(client, world.users.viewer)
    assert client.get("/calendar/feed/" + "A" * 43 + ".ics").status_code == 404
    assert client.get("/calendar/feed/short.ics").status_code == 404
    assert client.get("/calendar/feed/" + "%00" * 30 + ".ics").status_code == 404
    assert client.get("/calendar/feed/" + "x" * 500 + ".ics").status_code == 404


@pytest.mark.django_db
def test_feed_reads_are_rate_limited(world, client, settings):
    settings.ACCORD_FEED_RATE = "3/m"
    for _ in range(3):
        assert client.get("/calendar/feed/" + "B" * 43 + ".ics").status_code == 404
    response = client.get("/calendar/feed/" + "B" * 43 + ".ics")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
def test_feed_query_count_does_not_grow(world, client):
    path = subscribe(client, world.users.partner)
    today = timezone.localdate()

    def add(n, offset):
        for i in range(n):
            meeting = vienna_meeting(
                world,
                f"M{offset + i}",
                today + datetime.timedelta(days=offset + i),
                classification=Classification.INTERNAL,
                shared_with=[world.un],
                time_zone="America/New_York" if i % 2 else "Europe/Vienna",
            )
            services.agenda_item_create(actor=None, meeting=meeting, title="Item")

    add(2, 1)
    with CaptureQueriesContext(connection) as few:
        assert len(events(parse(client.get(path)))) == 2
    add(12, 10)
    with CaptureQueriesContext(connection) as many:
        assert len(events(parse(client.get(path)))) == 14
    assert len(many.captured_queries) == len(few.captured_queries)


# ---------------------------------------------------------------- the subscription page


@pytest.mark.django_db
def test_subscription_page(world, client_for):
    client = client_for(world.users.viewer)
    url = reverse("meeting_feeds:subscription")
    page = client.get(url)
    assert page.status_code == 200
    assert "Subscribe to your calendar" in page.text
    response = client.post(url, {"action": "create"})
    assert "webcal://" in response.text
    assert "it is not shown again" in response.text
    assert client.post(url, {"action": "nonsense"}).status_code == 400
    bad = client.post(url, {"action": "language", "language": "xx"})
    assert bad.status_code == 400
    assert 'role="alert"' in bad.text
    assert client.post(url, {"action": "language", "language": "fr"}).status_code == 302
    assert client_for(world.users.norole).get(url).status_code == 403


@pytest.mark.django_db
def test_feed_in_the_users_language(world, client, soon):
    user = world.users.viewer
    path = subscribe(client, user)
    client.force_login(user)
    client.post(reverse("meeting_feeds:subscription"), {"action": "language", "language": "fr"})
    client.logout()
    description = str(events(parse(client.get(path)))["PUBLIC-SOON"]["DESCRIPTION"])
    assert "Niveau : Siège" in description
    assert "Ordre du jour :" in description


@pytest.mark.django_db
def test_account_page_links_to_the_calendar(world, client_for):
    page = client_for(world.users.partner).get(reverse("account"))
    assert page.status_code == 200
    assert reverse("meeting_feeds:subscription") in page.text
