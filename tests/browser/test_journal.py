"""The journal panel and the "Due for review" panel in Chromium, on a laptop and a phone."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "journal"


def log_in(browser, live_server, *, width, language="en"):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    # The login page has the navbar too: wait until the login has led away from it.
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return context, page


def test_add_an_entry_from_the_panel_and_see_reviews(browser, live_server, django_user_model):
    from accord.journal.services import journal_entry_create
    from accord.registry import services

    world = build_world(django_user_model)
    services.partnership_update(
        actor=None,
        partnership=world.p_un,
        expected_version=None,
        review_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    journal_entry_create(
        actor=None,
        assigned_object=world.p_un,
        date=datetime.date(2025, 3, 1),
        kind="meeting",
        text="Staff talks in New York.\nAgreed on the tripartite agenda.",
        classification="public",
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        for language in ("en", "ru"):
            context, page = log_in(browser, live_server, width=width, language=language)
            for name, path in (
                ("dashboard", "/"),
                ("partnership", f"/partnerships/{world.p_un.pk}/"),
                ("journal", "/journal/"),
            ):
                page.goto(f"{live_server.url}{path}")
                page.screenshot(path=str(SHOTS / f"{name}-{language}-{width}.png"), full_page=True)
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth"
                )
                assert overflow <= 0, (path, language, width, overflow)
            context.close()
    context, page = log_in(browser, live_server, width=1366)
    page.goto(f"{live_server.url}/partnerships/{world.p_un.pk}/")
    expect(page.locator("#reviews-h")).to_have_count(0)
    panel = page.locator("#journal")
    expect(panel).to_contain_text("Staff talks in New York.")
    panel.locator("summary").click()
    panel.locator("#id_journal_text").fill("Called the DPPA desk.")
    panel.locator("button[type=submit]").click()
    expect(page.locator("#journal")).to_contain_text("Added a journal entry.")
    expect(page.locator("#journal")).to_contain_text("Called the DPPA desk.")
    page.screenshot(path=str(SHOTS / "partnership-added-en-1366.png"), full_page=True)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#reviews-h")).to_be_visible()
    expect(page.locator("main")).to_contain_text("OSCE – UN")
    context.close()
