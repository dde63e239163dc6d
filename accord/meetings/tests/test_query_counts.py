"""A query budget: the same number of queries with 3 meetings, actions or series as with 30."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.meetings import selectors, services
from accord.registry import services as registry

SMALL, LARGE = 3, 30
BASE = datetime.datetime(2024, 2, 1, 9, tzinfo=datetime.UTC)


class Grower:
    """Meetings, actions and series added on demand, each with everything a list shows."""

    def __init__(self, world, mw):
        self.world, self.mw = world, mw
        self.meetings, self.actions, self.series = [], [], []

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
                time_zone="Europe/Vienna",
                organizations=[world.un],
                themes=[mw.rights],
                classification="public",
                template_agenda=[{"title": "Opening"}],
            )
            start = BASE + datetime.timedelta(days=i)
            meeting = services.meeting_create(
                actor=None,
                title=f"Meeting {i}",
                series=series,
                format="bilateral",
                start=start,
                end=start + datetime.timedelta(hours=2),
                time_zone="Europe/Vienna",
                host_organization=world.osce,
                organizations=[world.osce, world.un],
                themes=[mw.rights],
                status="held",
                classification="public",
                participants=[(person, "attended"), (world.shared_person, "invited")],
            )
            item = services.agenda_item_create(actor=None, meeting=meeting, title=f"Item {i}")
            services.outcome_create(actor=None, agenda_item=item, kind="decision", text="Agreed")
            action = services.action_create(
                actor=None,
                title=f"Action {i}",
                meeting=meeting,
                organization=world.un,
                owner_person=person,
                due=datetime.date(2024, 3, 1),
                classification="public",
                carried_to=[mw.public, mw.shared],
            )
            self.meetings.append(meeting)
            self.actions.append(action)
            self.series.append(series)


def count(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


API_LISTS = [
    "/api/v1/meetings?limit=500",
    "/api/v1/meetings?organization=UN&theme=human&from=2024-01-01&limit=500",
    "/api/v1/actions?limit=500",
    "/api/v1/actions?overdue=true&organization=UN&owner=me&limit=500",
    "/api/v1/series?limit=500",
]


@pytest.mark.parametrize("role", ["editor", "partner"])
def test_api_lists_cost_the_same_at_3_and_30(world, mw, client_for, role):
    grower = Grower(world, mw)
    client = client_for(getattr(world.users, role))
    counts = {}
    for n in (SMALL, LARGE):
        grower.grow(n)
        for url in API_LISTS:
            response = client.get(url)  # warm: sessions and caches of the first call
            counts[(url, n)] = count(lambda url=url: client.get(url))
            assert response.status_code == 200
    for url in API_LISTS:
        assert counts[(url, SMALL)] == counts[(url, LARGE)], (url, counts)
    body = client.get("/api/v1/meetings?limit=500").json()
    assert body["count"] >= LARGE


def test_api_details_and_bulk_cost_the_same_at_3_and_30(world, mw, client_for):
    import json

    grower = Grower(world, mw)
    client = client_for(world.users.editor)
    counts = {}
    for n in (SMALL, LARGE):
        grower.grow(n)
        meeting = grower.meetings[n - 1]
        for _i in range(n):  # a meeting with n agenda items
            services.agenda_item_create(actor=None, meeting=mw.public, title="More")
        urls = [
            f"/api/v1/meetings/{mw.public.pk}",
            f"/api/v1/meetings/{mw.public.pk}/agenda-items?limit=500",
            f"/api/v1/meetings/{meeting.pk}",
        ]
        for url in urls:
            client.get(url)
            counts[(url.replace(str(meeting.pk), "M"), n)] = count(lambda url=url: client.get(url))
        ids = [a.pk for a in grower.actions[:n]]

        def bulk(ids=ids):
            response = client.post(
                "/api/v1/actions/bulk-status",
                data=json.dumps({"ids": ids, "status": "in_progress"}),
                content_type="application/json",
            )
            assert response.status_code == 200

        counts[("bulk-read", n)] = count(
            lambda ids=ids: client.get(f"/api/v1/actions?limit=500&meeting={mw.public.pk}")
        )
        bulk()
    small = {k[0]: v for k, v in counts.items() if k[1] == SMALL}
    large = {k[0]: v for k, v in counts.items() if k[1] == LARGE}
    assert small == large, counts


def test_selectors_cost_the_same_at_3_and_30(world, mw):
    grower = Grower(world, mw)
    user = world.users.viewer
    now = BASE - datetime.timedelta(days=1)
    window = (BASE, BASE + datetime.timedelta(days=60))

    def read_all():
        list(selectors.upcoming_meetings(user, days=90, limit=None, now=now))
        for meeting in selectors.meetings_in_range(user, *window, {"organization": world.un}):
            list(meeting.participants.all()), meeting.series
        for action in selectors.overdue_actions(user, limit=None):
            list(action.carried_to.all()), action.owner_person, action.meeting
        selectors.overdue_series(user, today=datetime.date(2026, 1, 1))
        for meeting in selectors.last_meetings_of(user, world.un, n=50):
            for item in meeting.agenda_items.all():
                list(item.outcomes.all())
        selectors.meeting_get(user, mw.public.pk)

    counts = []
    for n in (SMALL, LARGE):
        grower.grow(n)
        counts.append(count(read_all))
    assert counts[0] == counts[1], counts
    assert len(selectors.overdue_series(user, today=datetime.date(2026, 1, 1))) >= LARGE
