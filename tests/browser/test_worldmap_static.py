"""The map draws its outlines from the static file in a real browser, under the site's CSP."""

import pytest
from playwright.sync_api import expect

from conftest import build_world

from .conftest import screenshot
from .test_csp import RECORD_VIOLATIONS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The drawn size of a country's <use> and the fill it ends up with.
SHAPE = """(iso3) => {
  const el = document.querySelector(`.accord-worldmap [data-iso3="${iso3}"]`);
  const box = el.getBBox();
  return {width: box.width, height: box.height, fill: getComputedStyle(el).fill};
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_the_map_is_drawn_from_the_static_outlines(browser, live_server, django_user_model, width):
    build_world(django_user_model)
    # No bypass_csp: the <use> references must load under the site's own policy.
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, "viewer")
        for language in ("en", "ru"):
            page.goto(f"{live_server.url}/organizations/UN/?language={language}")
            page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            page.goto(f"{live_server.url}/organizations/UN/")
            page.wait_for_load_state("networkidle")
            expect(page.locator(".accord-worldmap")).to_be_visible()
            france = page.evaluate(SHAPE, "FRA")
            assert france["width"] > 5 and france["height"] > 5, france
            assert france["fill"] == "rgb(213, 94, 0)", france  # shared with the home org
            brazil = page.evaluate(SHAPE, "BRA")
            assert brazil["width"] > 20 and brazil["fill"] == "rgb(229, 231, 235)", brazil
            assert page.evaluate("window.__csp") == []
            page.locator(".worldmap").scroll_into_view_if_needed()
            screenshot(page, f"worldmap-static-{language}-{width}")
    finally:
        context.close()
