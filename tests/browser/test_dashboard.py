"""The dashboard drawn from the panels the apps register: the registry's look at 1366 px and
on a phone."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, build_world

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, *, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return context, page


def boxes(page):
    found = {}
    for key in ("partners-h", "reviews-h", "changes-h"):
        found[key] = page.locator(f"#{key}").bounding_box()
    found["counts"] = page.locator(".stat").first.bounding_box()
    return found


def test_the_reviews_and_changes_stand_beside_the_partnerships(
    browser, live_server, django_user_model
):
    build_world(django_user_model)
    context, page = log_in(browser, live_server, width=1366)
    page.goto(f"{live_server.url}/")
    box = boxes(page)
    screenshot(page, "dashboard-1366")
    # The counts above; the partnerships on the left, due reviews at their top right, the
    # latest changes under the reviews in the same column.
    assert box["counts"]["y"] < box["partners-h"]["y"]
    assert box["reviews-h"]["x"] > box["partners-h"]["x"] + box["partners-h"]["width"]
    assert box["reviews-h"]["y"] == box["partners-h"]["y"]
    assert box["changes-h"]["x"] == box["reviews-h"]["x"]
    assert box["changes-h"]["y"] > box["reviews-h"]["y"]
    # The navbar's Organizations entry is not marked on the dashboard.
    expect(page.locator("nav .nav-link.active")).to_have_count(0)
    page.get_by_role("link", name="Organizations", exact=True).first.click()
    expect(page.locator("nav .nav-link.active")).to_have_text("Organizations")
    context.close()


def test_on_a_phone_the_panels_follow_each_other(browser, live_server, django_user_model):
    build_world(django_user_model)
    context, page = log_in(browser, live_server, width=390)
    page.goto(f"{live_server.url}/")
    box = boxes(page)
    assert box["counts"]["y"] < box["partners-h"]["y"] < box["reviews-h"]["y"]
    assert box["reviews-h"]["y"] < box["changes-h"]["y"]
    assert box["reviews-h"]["x"] == box["partners-h"]["x"]
    context.close()
