"""Exports from the list pages in a real browser: the button, the download, the file."""

import csv
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_journey import log_in, world  # noqa: F401  (the world fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download(page, name, expect_in_link):
    """Open the Export menu, click `name`, and return the downloaded file and its name."""
    # htmx swaps the results (and the menu with them): wait until the swap is done.
    link = page.locator(".export-menu a").first
    expect(link).to_have_attribute("href", re.compile(re.escape(expect_in_link)))
    expect(page.locator(".htmx-request")).to_have_count(0)
    page.get_by_role("button", name="Export").click()
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    return info.value.suggested_filename, open(info.value.path(), "rb").read()


def test_export_buttons_download_what_the_page_shows(page, live_server, world):  # noqa: F811
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/organizations/")
    # Filter without reloading (htmx): the export links follow the filter.
    page.get_by_label("Kind").select_option("global")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    name, data = download(page, "Excel (all rows)", "kind=global")
    assert name.startswith("organizations-") and name.endswith(".xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows] == ["Acronym", "UN"]
    assert rows[1][5] == 7  # the member count, a number

    # The organization page exports its members on the chosen day.
    page.goto(f"{live_server.url}/organizations/OSCE/")
    page.get_by_label("As of").fill("1990-01-01")
    # Leaving the field fires its one "change" (a dispatched event would leave a second one
    # for the next click, whose swap would then pull the menu away under the pointer).
    page.get_by_label("As of").press("Tab")
    expect(page.locator("#members")).not_to_contain_text("Kazakhstan")
    name, data = download(page, "CSV (all rows)", "as_of=1990-01-01")
    assert name == "OSCE-members-1990-01-01.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    states = [r[0] for r in rows[1:]]
    assert "France" in states and "Kazakhstan" not in states


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_export_menu_screenshots(browser, live_server, world, width, height):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, "editor")
        for path, slug in (
            ("/people/", "people"),
            ("/organizations/UN/", "organization-un"),
            ("/deleted/", "deleted"),
        ):
            page.goto(f"{live_server.url}{path}")
            button = page.get_by_role("button", name="Export").first
            button.scroll_into_view_if_needed()
            button.click()
            expect(page.get_by_role("link", name="Excel (all rows)").first).to_be_visible()
            screenshot(page, f"export-{slug}-{width}")
    finally:
        context.close()
