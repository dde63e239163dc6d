"""Country pages in Russian and French, at laptop and phone width: names and corrected facts."""

import pytest
from playwright.sync_api import expect

from conftest import build_world

from .conftest import screenshot
from .test_layout import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_country_pages_speak_the_readers_language(browser, live_server, django_user_model, width):
    build_world(django_user_model)
    context, page = log_in(browser, live_server, width=width, language="ru")
    page.goto(f"{live_server.url}/countries/DEU/")
    expect(page.locator("h1")).to_contain_text("Германия")
    expect(page.locator("main")).to_contain_text("Западная Европа")
    screenshot(page, f"country-names-ru-DEU-{width}")
    page.goto(f"{live_server.url}/countries/KAZ/")
    expect(page.locator("#capital-source")).to_contain_text("Источник:")
    expect(page.locator("main dl")).to_contain_text("Astana")
    screenshot(page, f"country-names-ru-KAZ-{width}")
    page.goto(f"{live_server.url}/countries/?q=Turkey")
    expect(page.locator("main table")).to_contain_text("Турция")
    screenshot(page, f"country-names-ru-search-{width}")
    context.close()
    context, page = log_in(browser, live_server, width=width, language="fr")
    page.goto(f"{live_server.url}/countries/PSE/")
    expect(page.locator("#capital-source")).to_contain_text("Ramallah")
    screenshot(page, f"country-names-fr-PSE-{width}")
    page.goto(f"{live_server.url}/countries/?region=Europe")
    expect(page.locator("main table")).to_contain_text("Allemagne")
    screenshot(page, f"country-names-fr-list-{width}")
    context.close()
