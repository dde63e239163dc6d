"""Knowledge in the browser: search from the navbar, narrow to practices, open the hit, and
follow it to the commitment it implements; a partner submits a request and follows it."""

import re

import pytest
from playwright.sync_api import expect

from accord.knowledge.models import Request
from accord.knowledge.tests.conftest import build_knowledge
from accord.meetings.tests.conftest import build_meetings
from conftest import build_world
from tests.browser.conftest import screenshot
from tests.browser.test_layout import log_in
from tests.browser.test_search import seeded_themes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def knowledge_world(django_user_model):
    seeded_themes()
    world = build_world(django_user_model)
    mw = build_meetings(world, django_user_model)
    return world, build_knowledge(world, mw)


def test_search_a_practice_and_follow_it_to_its_commitment(browser, live_server, django_user_model):
    _world, kw = knowledge_world(django_user_model)
    context, page = log_in(browser, live_server, width=1366, language="en")
    page.goto(f"{live_server.url}/")
    page.locator("nav.navbar button[title=Search]").click()
    box = page.locator("#navbar-search")
    box.fill("observers")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=observers"))
    page.locator("aside a", has_text="Practice").click()
    expect(page).to_have_url(re.compile(r"kind=practice"))
    hits = page.locator("ol.search-hits > li")
    expect(hits).to_have_count(1)
    expect(hits.locator("mark").first).to_have_text(re.compile("observ", re.I))
    hits.locator("a", has_text="Election observation handbook").click()
    expect(page).to_have_url(re.compile(rf"/knowledge/practices/{kw.public.pk}/"))
    expect(page.locator("h1")).to_contain_text("Election observation handbook")
    # The body's Markdown is rendered, its script is not run or shown as a tag.
    expect(page.locator("strong", has_text="Observers")).to_be_visible()
    screenshot(page, "practice-1366")
    page.locator("a", has_text="Chapter VIII, para 3").first.click()
    expect(page).to_have_url(re.compile(rf"/knowledge/commitments/{kw.commitment.pk}/"))
    expect(page.locator("main")).to_contain_text(
        "Co-operation with the United Nations and regional organizations."
    )
    # The editor sees the restricted practice among the activities; it is dated 2024.
    expect(page.locator("main")).to_contain_text("RESTRICTED-PRACTICE")
    screenshot(page, "commitment-1366")
    context.close()


def test_a_partner_submits_a_request_and_sees_only_their_own(
    browser, live_server, django_user_model, mailoutbox, settings
):
    settings.ACCORD_REQUEST_NOTIFY = ["office@example.org"]
    world, _kw = knowledge_world(django_user_model)
    context, page = log_in(browser, live_server, width=1366, language="en", user="partner")
    page.goto(f"{live_server.url}/knowledge/requests/")
    expect(page.locator("main")).to_contain_text("Briefing on early warning")
    expect(page.locator("main")).not_to_contain_text("SCO-PUBLIC-REQUEST")
    expect(page.locator("main")).not_to_contain_text("RESTRICTED-REQUEST")
    page.locator("main a", has_text=re.compile("Submit a request|New request")).first.click()
    page.locator("#id_kind").select_option("study_visit")
    page.get_by_label("Subject").fill("Study visit on border management")
    page.get_by_label("Description").fill("Three officers, one week, in spring.")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/knowledge/requests/\d+/$"))
    created = Request.objects.get(subject="Study visit on border management")
    assert created.organization == world.un
    assert page.url.endswith(f"/knowledge/requests/{created.pk}/")
    expect(page.locator("main")).to_contain_text("Received")
    # The office was told, once the request was stored.
    assert [m.subject for m in mailoutbox] == [
        "New request from UN: Study visit on border management"
    ]
    screenshot(page, "request-partner-1366")
    context.close()
