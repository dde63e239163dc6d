"""A user's journey through the web UI in a real browser."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, build_world

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(django_user_model):
    return build_world(django_user_model)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("partners")


def test_editor_journey(page, live_server, world):
    log_in(page, live_server, "editor")
    screenshot(page, "dashboard")

    # The organization list filters without reloading the page.
    page.get_by_role("link", name="Organizations").first.click()
    expect(page.locator("#results")).to_contain_text("SCO")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Kind").select_option("global")
    expect(page.locator("#results")).not_to_contain_text("SCO")
    expect(page.locator("#results")).to_contain_text("UN")
    assert page.evaluate("window.__marker") == "same page"
    assert "kind=global" in page.url
    page.get_by_label("Search", exact=True).fill("shanghai")
    page.get_by_label("Kind").select_option("")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("SCO")
    screenshot(page, "organization-list-filtered")

    # The home organization's page: profile, members, map.
    page.goto(f"{live_server.url}/organizations/OSCE/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("OSCE")
    expect(page.locator("#members")).to_contain_text("Kazakhstan")
    expect(page.locator("svg[role=img]")).to_be_visible()
    # As of 1990 Kazakhstan had not joined yet.
    page.get_by_label("As of").fill("1990-01-01")
    page.get_by_label("As of").dispatch_event("change")
    expect(page.locator("#members")).not_to_contain_text("Kazakhstan")
    expect(page.locator("#members")).to_contain_text("France")
    screenshot(page, "organization-osce")

    # Edit an organization and see the change in its history.
    page.goto(f"{live_server.url}/organizations/UN/")
    page.get_by_role("link", name="Edit").first.click()
    page.get_by_label("Headquarters", exact=True).fill("New York City")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.locator("dl")).to_contain_text("New York City")
    page.get_by_role("link", name="History").first.click()
    expect(page.locator(".diff-old").first).to_contain_text("New York")
    expect(page.locator(".diff-new").first).to_contain_text("New York City")
    screenshot(page, "organization-history")

    log_out(page)
    expect(page).to_have_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/organizations/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/organizations/")


def test_viewer_cannot_edit_and_partner_sees_only_shared(page, live_server, world):
    log_in(page, live_server, "viewer")
    page.goto(f"{live_server.url}/organizations/UN/")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    page.goto(f"{live_server.url}/people/")
    expect(page.locator("#results")).to_contain_text("Ivo Internal")
    expect(page.locator("#results")).not_to_contain_text("RESTRICTED-PERSON")
    log_out(page)

    log_in(page, live_server, "partner")
    page.goto(f"{live_server.url}/people/")
    expect(page.locator("#results")).to_contain_text("Una Shared")
    expect(page.locator("#results")).not_to_contain_text("Ivo Internal")
    screenshot(page, "people-as-partner")


def log_out(page):
    """Log out from the user menu in the navbar."""
    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("button", name="Log out").click()
