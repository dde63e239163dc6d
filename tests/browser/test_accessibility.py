"""Pages checked with axe-core for WCAG 2.1 A and AA problems."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
PAGES = [
    "/",
    "/organizations/",
    "/organizations/OSCE/",
    "/organizations/UN/history/",
    "/organizations/UN/edit/",
    "/countries/FRA/",
    "/partnerships/",
    "/people/",
    "/documents/",
    "/analytics/",
    "/analytics/overlap/",
    "/analytics/neighbourhood/",
    "/analytics/network/",
    "/analytics/advantage/",
]


def violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def test_pages_have_no_wcag_violations(page, live_server, django_user_model):
    build_world(django_user_model)
    page.goto(f"{live_server.url}/login/")
    assert violations(page) == []
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The login page has a heading too: wait until the login has led away from it.
    expect(page).not_to_have_url(re.compile(r"/login/"))
    found = {}
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        problems = violations(page)
        if problems:
            found[path] = problems
    for path, problems in found.items():
        print(path, *problems, sep="\n  ")
    assert found == {}
