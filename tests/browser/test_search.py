"""The workspace-wide search in the browser: from the navbar, through a facet, to a hit."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from accord.meetings.tests.conftest import build_meetings
from conftest import build_world
from tests.browser.conftest import screenshot
from tests.browser.test_layout import LANGUAGES, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seeded_themes():
    """The themes the taxonomy's data migration seeds: a transactional test before this one
    empties every table, seeded ones included."""
    from accord.taxonomy.models import Theme

    if not Theme.objects.exists():
        import_module("accord.taxonomy.migrations.0002_seed_themes").seed(apps, None)


def test_search_from_the_navbar_filter_and_open_a_hit(browser, live_server, django_user_model):
    seeded_themes()
    world = build_world(django_user_model)
    mw = build_meetings(world, django_user_model)
    context, page = log_in(browser, live_server, width=1366, language="en")
    page.goto(f"{live_server.url}/organizations/")
    page.locator("nav.navbar button[title=Search]").click()
    box = page.locator("#navbar-search")
    box.fill("early warning")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=early\+warning"))
    expect(page.locator("mark").first).to_be_visible()
    screenshot(page, "search-1366")
    page.locator("aside a", has_text="Outcome").click()
    expect(page).to_have_url(re.compile(r"kind=outcome"))
    hits = page.locator("ol.search-hits > li")
    expect(hits).to_have_count(1)
    hits.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{mw.public.pk}/#outcome-{mw.outcome.pk}"))
    context.close()


def test_the_navbar_with_search_is_one_line_at_1366_px(browser, live_server, django_user_model):
    build_world(django_user_model)
    heights = {}
    for language in LANGUAGES:
        context, page = log_in(browser, live_server, width=1366, language=language)
        page.goto(f"{live_server.url}/search/?q=OSCE")
        expect(page.locator("nav.navbar .navbar-toggler")).to_be_hidden()
        heights[language] = page.locator("nav.navbar").bounding_box()["height"]
        if language == "ru":
            screenshot(page, "search-ru-1366")
        context.close()
    assert heights == dict.fromkeys(LANGUAGES, heights["en"])
