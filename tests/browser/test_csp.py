"""The Content-Security-Policy in a real browser: the pages and the API docs break none of it."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/organizations/",
    "/organizations/OSCE/",
    "/countries/FRA/",
    "/partnerships/",
    "/people/",
    "/documents/",
    "/organizations/UN/history/",
    "/organizations/UN/edit/",
    "/account/",
    "/account/tokens/",
    "/account/two-factor/",
    "/account/password/",
    "/api/v1/docs",
]

# Runs before any page script, outside the page's policy: it records every violation.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def strict_page(browser):
    """A page that keeps the site's policy (the shared `page` fixture bypasses it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    messages = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page, messages
    context.close()


def log_in(page, live_server, username="editor"):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("partners")


def test_pages_and_api_docs_break_no_csp_rule(strict_page, live_server, django_user_model):
    page, messages = strict_page
    build_world(django_user_model)
    log_in(page, live_server)

    problems = []
    for url in PAGES:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        if url == "/api/v1/docs":
            # Swagger UI draws the operations with its own script, from static files.
            expect(page.locator(".opblock").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        problems += [f"{url}: {v}" for v in page.evaluate("window.__csp")]
    assert problems == []
    assert messages == []


def test_the_language_switcher_works_without_inline_script(
    strict_page, live_server, django_user_model
):
    page, messages = strict_page
    build_world(django_user_model)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/organizations/")
    page.get_by_label("Language").select_option("fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url.endswith("/organizations/")
    assert page.evaluate("window.__csp") == []
    assert messages == []
