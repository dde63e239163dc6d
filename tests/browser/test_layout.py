"""Layout on a phone (390 px) and a laptop (1366 px), in English and Russian."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/organizations/",
    "/organizations/OSCE/",
    "/organizations/UN/",
    "/organizations/UN/history/",
    "/organizations/UN/edit/",
    "/countries/",
    "/countries/FRA/",
    "/partnerships/",
    "/people/",
    "/documents/",
    "/memberships/add/?organization=UN",
    "/account/",
    "/deleted/",
    "/knowledge/practices/",
    "/knowledge/requests/",
    "/knowledge/commitments/",
    "/search/?q=OSCE",
    "/analytics/",
    "/analytics/overlap/",
    "/analytics/neighbourhood/",
    "/analytics/network/",
    "/analytics/advantage/",
]
LANGUAGES = ["en", "fr", "de", "it", "ru", "es"]


def log_in(browser, live_server, *, width, language, user="admin"):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(user)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    # The login page has the navbar too: wait for the page the login leads to.
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return context, page


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, django_user_model):
    build_world(django_user_model)
    wide = {}
    for language in ("en", "ru"):
        context, page = log_in(browser, live_server, width=390, language=language)
        for path in ["/login/", *PAGES]:
            page.goto(f"{live_server.url}{path}")
            if overflow(page) > 0:
                wide[(language, path)] = overflow(page)
        context.close()
    assert wide == {}


def test_a_phone_shows_the_first_columns_and_hides_the_rest(
    browser, live_server, django_user_model
):
    build_world(django_user_model)
    context, page = log_in(browser, live_server, width=390, language="en")
    page.goto(f"{live_server.url}/organizations/")
    expect(page.get_by_role("columnheader", name="Acronym")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Name")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Headquarters")).to_be_hidden()
    context.close()
    context, page = log_in(browser, live_server, width=1366, language="en")
    page.goto(f"{live_server.url}/organizations/")
    expect(page.get_by_role("columnheader", name="Headquarters")).to_be_visible()
    context.close()


def test_the_navbar_is_one_line_at_1366_px_in_every_language(
    browser, live_server, django_user_model
):
    build_world(django_user_model)
    heights = {}
    for language in LANGUAGES:
        context, page = log_in(browser, live_server, width=1366, language=language)
        page.goto(f"{live_server.url}/organizations/")
        # Expanded, not the phone's menu button.
        expect(page.locator("nav.navbar .navbar-toggler")).to_be_hidden()
        heights[language] = page.locator("nav.navbar").bounding_box()["height"]
        context.close()
    assert heights == dict.fromkeys(LANGUAGES, heights["en"])


def test_a_date_is_typed_in_the_page_language(browser, live_server, django_user_model):
    build_world(django_user_model)
    context, page = log_in(browser, live_server, width=1366, language="ru")
    page.goto(f"{live_server.url}/organizations/UN/")
    field = page.locator("#id_as_of")
    expect(field).to_have_attribute("placeholder", "ДД.ММ.ГГГГ")
    field.fill("01.01.1995")
    field.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/organizations/UN/?as_of=1995-01-01&status=")
    expect(field).to_have_value("01.01.1995")
    expect(page.locator("#map-h")).to_contain_text("01.01.1995")
    context.close()
