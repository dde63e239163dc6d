"""A query budget for the meetings pages: the same number of queries with 3 rows as with 30.

Each case grows what a page shows from 3 to 30 (meetings on the list and in the calendar;
agenda items, outcomes, actions, participants and files on a meeting's page) and counts the
SQL of one request at each size. A difference is a query per row: fix the selector.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.meetings import services
from accord.registry import services as registry

SMALL, LARGE = 3, 30
BASE = datetime.datetime(2024, 2, 1, 9, tzinfo=datetime.UTC)


class Grower:
    """Meetings in February 2024, each with everything a list shows; and one meeting whose
    agenda, actions, participants and files grow."""

    def __init__(self, world, mw):
        self.world, self.mw = world, mw
        self.meetings = []
        self.parts = 0
        self.big = services.meeting_create(
            actor=None,
            title="BIG",
            series=mw.series,
            format="bilateral",
            start=BASE,
            end=BASE + datetime.timedelta(hours=3),
            time_zone="Europe/Vienna",
            classification="public",
        )

    def grow(self, n):
        world, mw = self.world, self.mw
        while len(self.meetings) < n:
            i = len(self.meetings)
            person = registry.person_create(
                actor=None, name=f"Person {i}", organization=world.un, classification="public"
            )
            series = services.series_create(
                actor=None,
                title=f"Series {i}",
                format="bilateral",
                cadence="FREQ=MONTHLY;INTERVAL=3",
                organizations=[world.un],
                themes=[mw.rights],
                classification="public",
            )
            start = BASE + datetime.timedelta(days=i % 27, hours=i % 5)
            meeting = services.meeting_create(
                actor=None,
                title=f"Meeting {i}",
                series=series,
                format="bilateral",
                start=start,
                end=start + datetime.timedelta(hours=26 if i % 4 == 0 else 2),
                time_zone="Europe/Vienna",
                host_organization=world.osce,
                organizations=[world.osce, world.un],
                themes=[mw.rights],
                classification="public",
                participants=[(person, "attended"), (world.shared_person, "invited")],
            )
            services.action_create(
                actor=None,
                title=f"Action {i}",
                meeting=meeting,
                organization=world.un,
                owner_person=person,
                owner_user=None,
                due=datetime.date(2024, 3, 1),
                classification="public",
                carried_to=[self.big],
            )
            soon = timezone.now() + datetime.timedelta(days=1, hours=i)
            services.meeting_create(
                actor=None,
                title=f"Soon {i}",
                series=series,
                format="visit",
                start=soon,
                end=soon + datetime.timedelta(hours=1),
                organizations=[world.un],
                classification="public",
            )
            self.meetings.append(meeting)
        while self.parts < n:
            i = self.parts
            item = services.agenda_item_create(
                actor=None, meeting=self.big, title=f"Item {i}", carry_over=True
            )
            outcome = services.outcome_create(
                actor=None, agenda_item=item, kind="action", text=f"Outcome {i}"
            )
            services.action_create(
                actor=None,
                title=f"Raised {i}",
                meeting=self.big,
                outcome=outcome,
                owner_user=world.users.editor,
                organization=world.un,
                classification="public",
            )
            person = registry.person_create(
                actor=None, name=f"Guest {i}", organization=world.un, classification="public"
            )
            services.meeting_update(
                actor=None,
                meeting=self.big,
                expected_version=None,
                participants=[
                    *((p.person, p.attendance) for p in self.big.participants.all()),
                    (person, "attended"),
                ],
            )
            services.attachment_create(
                actor=None, meeting=self.big, file=ContentFile(b"text", name=f"file-{i}.txt")
            )
            self.parts += 1


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def pages(grower):
    return [
        "/meetings/",
        "/meetings/?organization=UN&theme=human-rights",
        "/meetings/calendar/?date=2024-02-01",
        "/meetings/calendar/?view=week&date=2024-02-05",
        "/meetings/calendar/?view=list&date=2024-02-01",
        f"/meetings/{grower.big.pk}/",
        "/meetings/series/",
        f"/meetings/series/{grower.mw.series.pk}/",
        "/actions/",
        "/actions/?overdue=yes",
    ]


def panel_counts(user) -> dict:
    """The queries of each dashboard panel this app registers (the registry's panels count
    their own)."""
    from django.test import RequestFactory

    from accord.core import extensions

    request = RequestFactory().get("/")
    request.user = user
    counts = {}
    for panel in extensions.panels():
        if panel.key.startswith("meetings-"):
            with CaptureQueriesContext(connection) as queries:
                context = panel.context(request)
            counts[panel.key] = (len(queries), context["count"] > 0)
    return counts


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_meeting_pages_cost_the_same_with_3_or_30_rows(world, mw, client_for, role):
    grower = Grower(world, mw)
    user = getattr(world.users, role)
    client = client_for(user)
    # Once before counting: what a process looks up once (content types) is looked up.
    grower.grow(SMALL - 1)
    for url in pages(grower):
        count(client, url)
    grower.grow(SMALL)
    small = {url: count(client, url) for url in pages(grower)}
    small_panels = panel_counts(user)
    grower.grow(LARGE)
    large = {url: count(client, url) for url in pages(grower)}
    assert large == small
    assert panel_counts(user) == small_panels
    assert all(shown for _count, shown in small_panels.values())
    # And the page shows them all.
    page = client.get(f"/meetings/{grower.big.pk}/").content.decode()
    assert "Item 29" in page and "Raised 29" in page and "Guest 29" in page
    assert "file-29.txt" in page and "Action 29" in page


def test_the_calendar_reads_its_meetings_in_one_query(world, mw, client_for):
    grower = Grower(world, mw)
    grower.grow(LARGE)
    client = client_for(world.users.viewer)
    client.get("/meetings/calendar/?date=2024-02-01")  # warm up the session and the cache
    with CaptureQueriesContext(connection) as queries:
        client.get("/meetings/calendar/?date=2024-02-01&status=planned")
    reading = [q["sql"] for q in queries if 'FROM "meetings_meeting"' in q["sql"]]
    assert len(reading) == 1, reading
