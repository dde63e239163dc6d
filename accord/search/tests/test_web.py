"""The search page and the navbar's search box."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.core.choices import Classification
from accord.meetings import services as meetings
from accord.meetings.models import Meeting
from accord.search import index

pytestmark = pytest.mark.django_db


def page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_navbar_has_a_search_box_for_users_with_a_role(world, client_for):
    html = client_for(world.users.partner).get("/organizations/").content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html
    norole = client_for(world.users.norole).get("/organizations/")
    assert 'action="/search/"' not in norole.content.decode()


def test_the_page_shows_hits_with_kind_snippet_and_facets(world, mw, client_for):
    html = page(client_for(world.users.viewer), q="early warning")
    assert f'href="/meetings/{mw.public.pk}/"' in html
    assert "<mark>" in html
    assert 'class="badge text-bg-secondary me-1">Meeting</span>' in html
    # Facets are links that add their filter to the query.
    assert re.search(r'href="\?q=early\+warning&amp;kind=meeting"', html)
    assert "Human rights" in html


def test_a_facet_link_filters_and_can_be_undone(world, mw, client_for):
    client = client_for(world.users.viewer)
    html = page(client, q="early warning", kind="outcome")
    assert f'href="/meetings/{mw.public.pk}/#outcome-{mw.outcome.pk}"' in html
    assert f'href="/meetings/{mw.public.pk}/"' not in html
    assert 'aria-current="true"' in html
    # Edited links (an unknown kind, a year that is not one) are no filter at all.
    html = page(client, q="early warning", kind="<planet>", year="x")
    assert f'href="/meetings/{mw.public.pk}/"' in html


def test_record_text_is_escaped_on_the_page(world, mw, client_for):
    m = meetings.meeting_create(
        actor=None, title="<i>Tagged</i> title", format="bilateral", start=mw.public.start,
        end=mw.public.end, classification=Classification.PUBLIC,
    )  # fmt: skip
    Meeting.objects.filter(pk=m.pk).update(minutes='<img src=x onerror="alert(1)"> tagged')
    index.reindex(m)
    html = page(client_for(world.users.viewer), q="tagged")
    assert "<img" not in html and "<i>Tagged" not in html
    assert "&lt;i&gt;Tagged&lt;/i&gt; title" in html


def test_a_query_that_cannot_be_searched_says_why(world, client_for):
    html = page(client_for(world.users.viewer), q='"*"')
    assert "no word to look for" in html
    html = page(client_for(world.users.viewer), q="x" * 300)
    assert "too long" in html


def test_the_page_in_russian(world, mw, client_for):
    client = client_for(world.users.viewer)
    client.cookies["django_language"] = "ru"
    html = page(client, q="early warning")
    assert 'lang="ru"' in html


def test_paging(world, mw, client_for):
    for n in range(23):
        meetings.meeting_create(
            actor=None, title=f"Paged talks {n}", format="bilateral", start=mw.public.start,
            end=mw.public.end, classification=Classification.PUBLIC,
        )  # fmt: skip
    client = client_for(world.users.viewer)
    first = page(client, q="paged")
    assert first.count('class="fw-semibold" href="/meetings/') == 20
    assert 'href="?q=paged&amp;page=2"' in first
    second = page(client, q="paged", page=2)
    assert second.count('class="fw-semibold" href="/meetings/') == 3
    with CaptureQueriesContext(connection) as queries:
        page(client, q="paged", page=2)
    assert len(queries.captured_queries) <= 16


def test_no_role_no_search(world, client_for):
    assert client_for(world.users.norole).get("/search/", {"q": "x"}).status_code == 403
