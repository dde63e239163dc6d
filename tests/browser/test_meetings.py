"""Meetings in Chromium: a meeting with its agenda and actions, an action done, the next
occurrence of a series with the action carried over; the calendar on a laptop and a phone."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, build_world

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, *, width=1366, language="en", username="editor", csp=True):
    # bypass_csp for the axe check only, which injects its script.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=not csp)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return context, page


def make_series(world):
    from accord.meetings import services

    return services.series_create(
        actor=None,
        title="OSCE–UN staff talks",
        format="staff_talks",
        cadence="FREQ=YEARLY",
        time_zone="Europe/Vienna",
        place="Vienna",
        default_start_time=datetime.time(10),
        default_duration_minutes=120,
        host_organization=world.osce,
        organizations=[world.osce, world.un],
        classification="public",
        template_agenda=[{"title": "Opening"}],
    )


def add_agenda_item(page, title):
    page.locator("#add-item summary").click()
    page.locator("#id_item_title").fill(title)
    page.locator("#add-item").get_by_role("button", name="Add").click()
    expect(page.locator("#agenda")).to_contain_text(title)


def test_a_meeting_from_agenda_to_the_next_occurrence(browser, live_server, django_user_model):
    world = build_world(django_user_model)
    series = make_series(world)
    context, page = log_in(browser, live_server)

    # A meeting of the series: the form starts from the series' defaults.
    page.goto(f"{live_server.url}/meetings/add/?series={series.pk}")
    expect(page.locator("#id_title")).to_have_value("OSCE–UN staff talks")
    expect(page.locator("#id_start_time")).to_have_value("10:00")
    page.locator("#id_title").fill("Staff talks 2025")
    page.locator("#id_start_date").fill("2025-01-16")
    page.locator("#id_status").select_option("held")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Staff talks 2025")
    # 10:00 in Vienna; the reader (UTC) reads 09:00 beside it.
    expect(page.locator("#when")).to_contain_text("10:00–12:00 (Europe/Vienna)")
    expect(page.locator("#reader-time")).to_contain_text("09:00–11:00")

    # Two agenda items, an outcome, an action raised from it and another one.
    add_agenda_item(page, "Early warning")
    add_agenda_item(page, "Border management")
    item = page.locator("#agenda li", has_text="Early warning").first
    item.locator("summary", has_text="Add an outcome").click()
    item.locator("select[name=kind]").select_option("action")
    item.locator("textarea[name=text]").fill("Exchange the contact lists")
    item.get_by_role("button", name="Add").click()
    expect(page.locator("#agenda")).to_contain_text("Exchange the contact lists")
    page.get_by_role("link", name="Raise an action").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise an action")
    expect(page.locator("#id_title")).to_have_value("Exchange the contact lists")
    page.locator("#id_due").fill("2025-02-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    page.get_by_role("link", name="Staff talks 2025").first.click()
    page.get_by_role("link", name="Add an action").click()
    page.locator("#id_title").fill("Draft a concept note")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Staff talks 2025").first.click()
    raised = page.locator("#actions")
    expect(raised).to_contain_text("Exchange the contact lists")
    expect(raised).to_contain_text("Draft a concept note")
    screenshot(page, "meeting-with-agenda")

    # The first one is done in one click.
    raised.locator("li", has_text="Exchange the contact lists").get_by_role(
        "button", name="Mark done"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("Marked “Exchange the contact lists” done.")
    expect(raised.locator("li", has_text="Exchange the contact lists")).to_contain_text("Done")

    # The next occurrence carries over the open one only.
    page.get_by_role("link", name="OSCE–UN staff talks").first.click()
    expect(page.locator("#cadence")).to_contain_text("Every year")
    page.get_by_role("button", name="Create the next occurrence").click()
    expect(page.get_by_role("status")).to_contain_text("1 open action")
    expect(page.locator("#when")).to_contain_text("2026-01-16 10:00–12:00 (Europe/Vienna)")
    carried = page.locator("#carried")
    expect(carried).to_contain_text("Draft a concept note")
    expect(carried).not_to_contain_text("Exchange the contact lists")
    expect(page.locator("#agenda")).to_contain_text("Opening")
    screenshot(page, "meeting-next-occurrence")

    # From the action list: tick a row, choose a status, apply.
    page.goto(f"{live_server.url}/actions/")
    page.get_by_label("Select “Draft a concept note”").check()
    page.locator("#bulk-status").select_option("in_progress")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("status")).to_contain_text("1 action is now “In progress”.")
    row = page.locator("#results tr", has_text="Draft a concept note")
    expect(row).to_contain_text("In progress")
    screenshot(page, "actions-after-bulk")
    context.close()


def test_the_calendar_on_a_laptop_and_a_phone(browser, live_server, django_user_model):
    from accord.meetings import services

    world = build_world(django_user_model)
    make_series(world)
    start = datetime.datetime(2025, 3, 12, 9, tzinfo=datetime.UTC)
    services.meeting_create(
        actor=None,
        title="Tripartite meeting",
        format="tripartite",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Europe/Vienna",
        classification="public",
    )
    context, page = log_in(browser, live_server, width=1366)
    page.goto(f"{live_server.url}/meetings/calendar/?date=2025-03-01")
    grid = page.locator(".cal-grid[role=list]")
    expect(grid).to_be_visible()
    expect(grid).to_contain_text("09:00 Tripartite meeting")
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("April 2025")
    context.close()
    # On a phone the month is a list, not a grid.
    context, page = log_in(browser, live_server, width=390, language="ru")
    page.goto(f"{live_server.url}/meetings/calendar/?date=2025-03-01")
    expect(page.locator(".cal-grid[role=list]")).to_be_hidden()
    expect(page.locator("main")).to_contain_text("Tripartite meeting")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()


def test_the_meeting_pages_have_no_wcag_violations(browser, live_server, django_user_model):
    from accord.meetings import services

    from .test_accessibility import violations

    world = build_world(django_user_model)
    series = make_series(world)
    meeting = services.create_next_occurrence(series, None)
    item = services.agenda_item_create(actor=None, meeting=meeting, title="Early warning")
    outcome = services.outcome_create(actor=None, agenda_item=item, kind="action", text="Lists")
    action = services.action_create(
        actor=None, title="Exchange the lists", meeting=meeting, outcome=outcome
    )
    context, page = log_in(browser, live_server, csp=False)
    found = {}
    day = meeting.start.date().isoformat()
    for path in (
        "/meetings/",
        meeting.get_absolute_url(),
        f"/meetings/{meeting.pk}/edit/",
        f"/meetings/calendar/?date={day}",
        f"/meetings/calendar/?view=week&date={day}",
        f"/meetings/calendar/?view=list&date={day}",
        "/meetings/series/",
        series.get_absolute_url(),
        f"/meetings/series/{series.pk}/edit/",
        "/actions/",
        action.get_absolute_url(),
        f"/actions/add/?outcome={outcome.pk}",
    ):
        page.goto(f"{live_server.url}{path}")
        problems = violations(page)
        if problems:
            found[path] = problems
    assert found == {}
    context.close()
