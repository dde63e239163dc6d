"""GET /api/v1/search: its answer, its errors, and its cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.core.choices import Classification
from accord.meetings import services as meetings
from accord.registry import services as registry

pytestmark = pytest.mark.django_db
URL = "/api/v1/search"


def get(client, **params):
    return client.get(URL, params)


def error_of(response):
    assert response.status_code == 422, response.content
    [error] = response.json()["detail"]
    return error["loc"], error["msg"]


def test_the_answer_has_count_items_and_facets(world, mw, client_for):
    response = get(client_for(world.users.viewer), q="staff talks")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "items", "facets"}
    assert body["count"] == len(body["items"]) >= 1
    assert set(body["items"][0]) == {"kind", "id", "title", "snippet", "url"}
    first = body["items"][0]
    assert (first["kind"], first["id"], first["url"]) == (
        "meeting",
        mw.public.pk,
        f"/meetings/{mw.public.pk}/",
    )
    assert set(body["facets"]) == {"kind", "theme", "organization", "year"}
    # The meeting, and its outcome whose text names it.
    assert {"value": "meeting", "label": "meeting", "count": 1} in body["facets"]["kind"]
    assert {"value": 2024, "label": "2024", "count": 2} in body["facets"]["year"]
    assert {"value": mw.rights.pk, "label": "Human rights", "count": 2} in body["facets"]["theme"]


def test_filters_by_kind_theme_organization_and_year(world, mw, client_for):
    client = client_for(world.users.admin)

    def ids(**params):
        return {(i["kind"], i["id"]) for i in get(client, **params).json()["items"]}

    assert ids(q="talks", kind="meeting") == {("meeting", mw.public.pk)}
    assert ("meeting", mw.public.pk) in ids(q="talks", theme="human-rights")
    assert ids(q="talks", theme=str(mw.rights.pk)) == ids(q="talks", theme="human-rights")
    assert ("meeting", mw.public.pk) in ids(q="talks", organization="un")
    assert ids(q="talks", year=1999) == set()


def test_a_viewer_and_partners_get_nothing_restricted(world, mw, client_for):
    for user in (world.users.viewer, world.users.partner, mw.sco_partner):
        body = get(client_for(user), q="RESTRICTED").json()
        assert body == {
            "count": 0,
            "items": [],
            "facets": {"kind": [], "theme": [], "organization": [], "year": []},
        }
    assert get(client_for(world.users.admin), q="RESTRICTED").json()["count"] >= 5


@pytest.mark.parametrize(
    "q, message",
    [
        ("", "Enter something"),
        ("   ", "Enter something"),
        ("x" * 201, "too long"),
        ('"', "no word"),
        ("*", "no word"),
        ("()", "no word"),
        ("AND OR NOT", None),
        ('AND OR "', None),
        ("NEAR(", None),
        ("title:x", None),
        ("x*", None),
        ('"unclosed phrase', None),
        ("^x", None),
        ("a - b + c", None),
    ],
)
def test_malformed_queries_are_a_4xx_or_plain_words_never_a_500(world, client_for, q, message):
    response = get(client_for(world.users.viewer), q=q)
    if message is None:
        assert response.status_code == 200, response.content
        assert response.json()["count"] == 0
    else:
        loc, msg = error_of(response)
        assert loc == ["query", "q"]
        assert message in msg


def test_bad_filters_name_the_parameter(world, client_for):
    client = client_for(world.users.viewer)
    assert error_of(get(client, q="x", kind="planet"))[0] == ["query", "kind"]
    assert error_of(get(client, q="x", theme="no-such-theme"))[0] == ["query", "theme"]
    assert error_of(get(client, q="x", organization="NOPE"))[0] == ["query", "organization"]
    assert error_of(get(client, q="x", year="soon"))[0][:2] == ["query", "year"]
    assert error_of(get(client, q="x", limit=1000))[0][:2] == ["query", "limit"]


def test_who_may_search(world, client, client_for):
    assert get(client, q="talks").status_code == 401
    assert get(client_for(world.users.norole), q="talks").status_code == 403


def grow(world, mw, n):
    """More of every kind, all matching "talks"."""
    for i in range(n):
        m = meetings.meeting_create(
            actor=None,
            title=f"Growth talks {i}",
            format="bilateral",
            start=datetime.datetime(2010 + i % 10, 1, 1, 9, tzinfo=datetime.UTC),
            end=datetime.datetime(2010 + i % 10, 1, 1, 10, tzinfo=datetime.UTC),
            classification=[Classification.PUBLIC, Classification.RESTRICTED][i % 2],
            organizations=[world.un, world.sco][i % 2 :],
            themes=[mw.rights],
        )
        item = meetings.agenda_item_create(actor=None, meeting=m, title=f"Talks item {i}")
        meetings.outcome_create(actor=None, agenda_item=item, kind="decision", text="More talks")
        meetings.action_create(
            actor=None, title=f"Talks follow-up {i}", meeting=m,
            classification=Classification.PUBLIC,
        )  # fmt: skip
        registry.document_create(
            actor=None, key=f"talks-{i}", title=f"Talks paper {i}", year=2000 + i,
            kind="other", classification=Classification.INTERNAL,
        )  # fmt: skip


def queries_for(client, **params) -> tuple[int, int]:
    client.get(URL, params)  # the session and the like, once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()["count"]


@pytest.mark.parametrize("role", ["admin", "viewer", "partner"])
def test_the_number_of_queries_does_not_grow_with_the_hits(world, mw, client_for, role):
    client = client_for(getattr(world.users, role))
    params = {"q": "talks", "limit": 50}
    small, small_count = queries_for(client, **params)
    grow(world, mw, 12)
    large, large_count = queries_for(client, **params)
    assert large_count > small_count
    assert large == small
    filtered, _count = queries_for(client, theme="human-rights", organization="UN", **params)
    assert filtered <= small + 2  # the theme and the organization looked up
    # Session and user (3), count, page, four facets, theme and organization names.
    assert small <= 14
