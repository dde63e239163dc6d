"""The analyses in the browser, as a viewer: open each, change the date, download a chart."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from accord.analytics import cow
from accord.analytics.tests import cowfiles
from accord.core.choices import Classification
from accord.meetings import services as meetings
from conftest import build_world
from tests.browser.conftest import screenshot
from tests.browser.test_layout import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def landscape(django_user_model, tmp_path):
    world = build_world(django_user_model)
    cow.import_cow(cowfiles.write(tmp_path, cowfiles.nato_like()))
    day = datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)
    for organizations in ([world.un], [world.un], [world.sco]):
        meetings.meeting_create(
            actor=None,
            title="Talks",
            format="bilateral",
            start=day,
            end=day + datetime.timedelta(hours=2),
            time_zone="Europe/Vienna",
            host_organization=world.osce,
            organizations=organizations,
            status="held",
            classification=Classification.PUBLIC,
        )
    return world


def download(page, locator):
    with page.expect_download() as info:
        locator.click()
    path = info.value.path()
    return info.value.suggested_filename, open(path, "rb").read()


def test_each_analysis_opens_changes_date_and_downloads(
    browser, live_server, django_user_model, tmp_path
):
    landscape(django_user_model, tmp_path)
    context, page = log_in(browser, live_server, width=1366, language="en", user="viewer")
    page.goto(f"{live_server.url}/")
    page.locator("nav.navbar a", has_text="Analytics").click()
    expect(page.locator("h1")).to_have_text("Analytics")
    expect(page.locator("main")).to_contain_text("COW IGO v3.0")

    # Overlap: three organizations on a date, then the PNG of the heat map.
    page.locator("main a", has_text="Overlap and bridge states").click()
    page.locator("#id_orgs").fill("OSCE,UN,SCO")
    page.locator("#id_as_of").fill("2020-01-01")
    page.locator("main form button", has_text="Show").first.click()
    expect(page).to_have_url(re.compile(r"as_of=2020-01-01"))
    expect(page.locator(".analytics-heatmap svg")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Shared full members on 2020-01-01")
    screenshot(page, "analytics-overlap")
    name, body = download(page, page.locator("a", has_text="PNG"))
    assert name == "overlap-2020-01-01.png" and body[:4] == b"\x89PNG"

    # The neighbourhood before Kazakhstan joined: it borders the area from outside.
    page.goto(f"{live_server.url}/analytics/neighbourhood/")
    page.locator("#id_as_of").fill("1991-06-01")
    page.locator("main form button", has_text="Show").click()
    expect(page.locator("main table")).to_contain_text("Kazakhstan")
    expect(page.locator('.worldmap svg [data-iso3="KAZ"]')).to_have_class("partner")
    name, body = download(page, page.locator("button[data-png-from]"))
    assert name == "OSCE-neighbourhood-1991-06-01.png" and body[:4] == b"\x89PNG"
    assert len(body) > 20_000, "the map was drawn, not a blank canvas"
    screenshot(page, "analytics-neighbourhood")

    # The network of 2025: the graph is drawn, and its GraphML downloads.
    page.goto(f"{live_server.url}/analytics/network/")
    page.locator("#id_start").fill("2025-01-01")
    page.locator("#id_end").fill("2025-12-31")
    page.locator("main form button", has_text="Show").click()
    expect(page.locator("#network-graph canvas").first).to_be_attached()
    expect(page.locator("main table").first).to_contain_text("OSCE")
    name, body = download(page, page.locator("a", has_text="GraphML"))
    assert name == "network-2025-01-01-2025-12-31.graphml" and b"<graphml" in body
    screenshot(page, "analytics-network")

    # Comparative advantage and an organization's membership history (entered and COW).
    page.goto(f"{live_server.url}/analytics/advantage/")
    expect(page.locator("h1")).to_have_text("Comparative advantage")
    page.goto(f"{live_server.url}/organizations/NATO/")
    expect(page.locator("#membership-history svg")).to_be_visible()
    name, body = download(page, page.locator("#membership-history a", has_text="SVG"))
    assert name == "NATO-membership-history.svg" and b"<svg" in body
    context.close()
