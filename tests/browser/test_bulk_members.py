"""Bulk entry of memberships in a real browser: paste → preview → confirm."""

import re

import pytest
from playwright.sync_api import expect

from accord.registry.models import Membership
from conftest import PASSWORD, build_world

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(django_user_model):
    return build_world(django_user_model)


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The login page has a heading too: wait until the login has led away from it.
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_paste_preview_confirm(page, live_server, world):
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/organizations/SCO/")
    page.get_by_role("link", name="Add members in bulk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add members in bulk to SCO")
    page.get_by_label("Countries").fill(
        "France\nDE\tfull\t2015-01-01\nRUS\tfull\t2001-06-15\nKazakhztan\nUSA\tobserver\t1990-01-01"
    )
    page.get_by_label("Status where a row gives none").select_option("observer")
    page.get_by_label("Member from, where a row gives no date").fill("2010-05-01")
    page.get_by_role("button", name="Preview").click()
    summary = page.locator("#bulk-summary")
    expect(summary).to_contain_text("2 new")
    expect(summary).to_contain_text("1 unchanged")
    expect(summary).to_contain_text("2 wrong")
    expect(page.locator("tr.bulk-wrong").first).to_contain_text("Kazakhstan (KAZ)")
    assert not Membership.objects.filter(organization=world.sco, country__iso3="FRA").exists()
    screenshot(page, "bulk-members-preview")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "bulk-members-preview-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("button", name="Add 2 new memberships").click()
    expect(page).to_have_url(f"{live_server.url}/organizations/SCO/")
    expect(page.get_by_role("alert").or_(page.locator(".alert")).first).to_contain_text(
        "Added 2 memberships to SCO"
    )
    added = Membership.objects.filter(organization=world.sco, country__iso3__in=["FRA", "DEU"])
    assert added.count() == 2
    assert {m.history.get().history_user.username for m in added} == {"editor"}
