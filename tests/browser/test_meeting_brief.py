"""The meeting brief and the calendar subscription in a browser: download the brief, read it
back; subscribe, read the feed without a login, revoke it; no WCAG problems on either page."""

import datetime
import io
import re

import pytest
from docx import Document
from icalendar import Calendar
from playwright.sync_api import expect

from accord.core.choices import Classification
from accord.meetings import services
from conftest import PASSWORD, build_world

from .conftest import screenshot
from .test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_meeting(world):
    start = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(days=7)
    meeting = services.meeting_create(
        actor=None,
        title="OSCE–UN staff talks",
        format="staff_talks",
        start=start,
        end=start + datetime.timedelta(hours=4),
        time_zone="Europe/Vienna",
        place="Hofburg, Vienna",
        host_organization=world.un,
        organizations=[world.osce, world.un],
        classification=Classification.INTERNAL,
        shared_with=[world.un],
    )
    services.agenda_item_create(actor=None, meeting=meeting, title="Early warning")
    services.action_create(
        actor=None,
        title="Exchange contact lists",
        organization=world.un,
        due=datetime.date.today() - datetime.timedelta(days=3),
        classification=Classification.PUBLIC,
    )
    return meeting


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_brief_page_and_word_download(page, live_server, django_user_model):
    world = build_world(django_user_model)
    meeting = a_meeting(world)
    log_in(page, live_server, "partner")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/brief/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Brief: OSCE–UN staff talks")
    expect(page.get_by_text("Classification: Internal")).to_be_visible()
    expect(page.get_by_text("Exchange contact lists")).to_be_visible()
    screenshot(page, "meeting-brief")
    assert violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Word").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    document = Document(io.BytesIO(open(download.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Prepared by partner on" in text
    assert "Members shared with OSCE" in text
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Classification: INTERNAL"


def test_subscribe_read_the_feed_and_revoke(page, browser, live_server, django_user_model):
    world = build_world(django_user_model)
    a_meeting(world)
    log_in(page, live_server, "partner")
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Your calendar: subscribe, and reminders").click()
    assert violations(page) == []
    page.get_by_role("button", name="Subscribe to your calendar").click()
    address = page.locator("#feed-url").input_value()
    assert re.fullmatch(r"http://.+/calendar/feed/[A-Za-z0-9_-]+\.ics", address)
    screenshot(page, "calendar-subscription")
    assert violations(page) == []

    # A calendar application: no session, no cookie.
    outside = browser.new_context()
    response = outside.request.get(address)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.body()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "OSCE–UN staff talks"
    assert event["DTSTART"].params["TZID"] == "Europe/Vienna"

    page.goto(f"{live_server.url}/calendar/subscription/")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Your calendar feed is revoked")).to_be_visible()
    assert outside.request.get(address).status == 404
    outside.close()
