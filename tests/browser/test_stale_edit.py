"""Two editors change one organization at once in two browsers: the second sees both versions."""

import pytest
from playwright.sync_api import expect

from accord.core.choices import Role
from accord.registry.models import Organization
from conftest import build_world, make_user

from .conftest import screenshot
from .test_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(django_user_model):
    world = build_world(django_user_model)
    editor = world.users.editor
    editor.first_name, editor.last_name = "Anna", "Smith"
    editor.save()
    make_user(django_user_model, "bob", Role.EDITOR)
    return world


def test_second_save_shows_the_comparison_and_takes_theirs_where_chosen(
    browser, live_server, world
):
    contexts, pages = [], []
    for _name in ("anna", "bob"):
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        pages.append(page)
    anna, bob = pages
    try:
        log_in(anna, live_server, "editor")
        log_in(bob, live_server, "bob")
        url = f"{live_server.url}/organizations/UN/edit/"
        anna.goto(url)
        bob.goto(url)

        anna.locator("#id_headquarters").fill("Geneva")
        anna.locator("#id_name").fill("United Nations Organization")
        anna.get_by_role("button", name="Save").click()
        expect(anna.get_by_role("status")).to_contain_text("Saved")

        bob.locator("#id_headquarters").fill("Nairobi")
        bob.locator("#id_source").fill("Charter of the United Nations")
        bob.locator("#id_name").fill("The United Nations")
        bob.get_by_role("button", name="Save").click()

        alert = bob.locator("section.conflict")
        expect(alert).to_contain_text("Someone else changed this record")
        expect(alert).to_contain_text("only you changed it")
        headquarters = bob.get_by_role("group", name="Headquarters")
        expect(headquarters).to_contain_text("Theirs")
        expect(headquarters).to_contain_text("Geneva")
        expect(headquarters).to_contain_text("Nairobi")
        expect(headquarters).to_contain_text("Changed by Anna Smith at")
        expect(headquarters.get_by_label("Keep mine")).to_be_checked()
        screenshot(bob, "stale-edit-desktop")
        bob.set_viewport_size({"width": 390, "height": 844})
        screenshot(bob, "stale-edit-phone")
        bob.set_viewport_size({"width": 1366, "height": 900})

        headquarters.get_by_label("Take theirs").check()
        bob.get_by_role("group", name="Name").get_by_label("Keep mine").check()
        bob.get_by_role("button", name="Save").click()
        expect(bob.get_by_role("status")).to_contain_text("Saved")

        un = Organization.objects.get(acronym="UN")
        assert (un.headquarters, un.name, un.source) == (
            "Geneva",
            "The United Nations",
            "Charter of the United Nations",
        )
        assert un.version == 3
    finally:
        for context in contexts:
            context.close()
