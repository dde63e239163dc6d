"""A query budget: the same number of queries with 3 records of each kind as with 30."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.knowledge import services
from accord.registry import services as registry

SMALL, LARGE = 3, 30
day = datetime.date


class Grower:
    """Practices, requests and commitments, each with everything a list or detail shows."""

    def __init__(self, world, mw, kw):
        self.world, self.mw, self.kw = world, mw, kw
        self.n = 0

    def grow(self, n):
        world, mw, kw = self.world, self.mw, self.kw
        while self.n < n:
            i = self.n
            self.n += 1
            person = registry.person_create(
                actor=None, name=f"Person {i}", organization=world.un, classification="public"
            )
            practice = services.practice_create(
                actor=None,
                kind="experience",
                title=f"Practice {i}",
                themes=[kw.rights],
                source_organization=world.un,
                recipient_organizations=[world.sco, world.osce],
                date=day(2024, 1, 1),
                classification="public",
            )
            services.practice_share(actor=None, practice=practice, organization=world.un)
            request = services.request_create(
                actor=None,
                notify=False,
                kind="briefing",
                organization=world.un,
                person=person,
                subject=f"Request {i}",
                themes=[kw.rights],
                received=day(2024, 1, 1),
                classification="internal",
                shared_with=[world.un],
                shared_practices=[practice, kw.restricted],
                shared_documents=[world.doc, world.secret_doc],
                meetings=[mw.public, mw.restricted],
                actions=[mw.action, mw.secret_action],
            )
            services.commitment_create(
                actor=None,
                document=world.doc,
                text=f"Commitment {i}",
                themes=[kw.rights],
                organizations=[world.un, world.sco],
            )
            services.commitment_update(
                actor=None,
                commitment=kw.commitment,
                expected_version=None,
                practices=[*kw.commitment.practices.all(), practice],
                requests=[*kw.commitment.requests.all(), request],
                organizations=[*kw.commitment.organizations.all(), world.osce],
            )


URLS = [
    "/api/v1/practices?limit=500",
    "/api/v1/practices/{share}/shares?limit=500",
    "/api/v1/requests?limit=500",
    "/api/v1/commitments?limit=500",
    "/api/v1/commitments?limit=500&stale_on=2030-01-01",
    "/api/v1/commitments/{commitment}",
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["editor", "viewer", "partner"])
def test_the_api_costs_the_same_at_3_and_at_30(world, mw, kw, client_for, role):
    grower = Grower(world, mw, kw)
    client = client_for(getattr(world.users, role))
    urls = [u.format(share=kw.public.pk, commitment=kw.commitment.pk) for u in URLS]
    grower.grow(SMALL)
    small = {url: count_queries(client, url) for url in urls}
    grower.grow(LARGE)
    large = {url: count_queries(client, url) for url in urls}
    assert small == large
    assert max(large.values()) <= 20, large


def test_a_list_within_a_fixed_budget(world, mw, kw, client_for, django_assert_max_num_queries):
    Grower(world, mw, kw).grow(SMALL)
    client = client_for(world.users.viewer)
    with django_assert_max_num_queries(15):
        assert client.get("/api/v1/requests").status_code == 200
