"""Pickers in a real browser: the keyboard alone, server-side search, translated texts."""

import re

import pytest
from playwright.sync_api import expect

from accord.registry.models import Country, Membership, Organization
from conftest import PASSWORD, build_world

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(django_user_model):
    return build_world(django_user_model)


def log_in(page, live_server, username="editor"):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The login page has a heading too: wait until the login has led away from it.
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_a_country_is_picked_with_the_keyboard_alone(page, live_server, world):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/memberships/add/?organization=OSCE")
    # The label names the control Tom Select made: screen readers and get_by_label find it.
    organization = page.get_by_role("combobox", name="Organization")
    expect(organization).to_be_visible()
    organization.focus()
    page.keyboard.press("Tab")
    country = page.get_by_role("combobox", name="Country")
    expect(country).to_be_focused()
    page.keyboard.type("Ger")
    active = page.locator("#id_country-ts-dropdown .option.active")
    expect(active).to_have_text("Germany")  # the best match comes first
    page.keyboard.press("ArrowDown")
    expect(active).not_to_have_text("Germany")
    page.keyboard.press("ArrowUp")
    expect(active).to_have_text("Germany")
    page.keyboard.press("Enter")
    germany = Country.objects.get(iso3="DEU")
    expect(page.locator("#id_country")).to_have_value(str(germany.pk))
    expect(page.locator("#id_country-ts-control").locator("..")).to_contain_text("Germany")
    screenshot(page, "picker-keyboard")
    page.get_by_label("Status").select_option("observer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    assert Membership.objects.filter(organization=world.osce, country=germany).exists()


def test_server_side_search_on_a_long_list(page, live_server, world, settings):
    settings.ACCORD_PICKER_INLINE_MAX = 2  # every list here is "long"
    log_in(page, live_server)
    page.goto(f"{live_server.url}/organizations/SCO/edit/")
    select = page.locator("#id_headquarters_country")
    # Only the chosen country is in the page; the rest come from /pick/countries/.
    expect(select.locator("option")).to_have_count(2)  # the empty choice and China
    assert select.get_attribute("data-picker-url") == "/pick/countries/"
    country = page.get_by_role("combobox", name="Headquarters country")
    with page.expect_response(lambda r: "/pick/countries/" in r.url and "q=KAZ" in r.url):
        country.fill("KAZ")  # an ISO code: only the server can match it to "Kazakhstan"
    option = page.locator("#id_headquarters_country-ts-dropdown .option", has_text="Kazakhstan")
    expect(option).to_be_visible()
    screenshot(page, "picker-server-search")
    option.click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    sco = Organization.objects.get(acronym="SCO")
    assert sco.headquarters_country.iso3 == "KAZ"


def test_shared_with_and_filters_work_in_russian(page, live_server, world, settings):
    settings.ACCORD_PICKER_INLINE_MAX = 2
    log_in(page, live_server)
    page.goto(f"{live_server.url}/people/")
    page.get_by_label("Language").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    combobox = page.locator("#id_organization-ts-control")
    combobox.fill("zzzz")
    expect(page.locator("#id_organization-ts-dropdown")).to_contain_text("Ничего не найдено")
    combobox.fill("shanghai")
    page.locator("#id_organization-ts-dropdown .option", has_text="SCO").click()
    # The filter form reacts as to a plain select: htmx swaps the results.
    expect(page).to_have_url(re.compile(r"/people/\?(q=&)?organization=SCO$"))
    expect(page.locator("#results")).not_to_contain_text("Una Shared")
    screenshot(page, "picker-filter-ru")
