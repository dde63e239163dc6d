"""Read pages are kept rendered per audience and data version (accord/core/pagecache.py).

A write inside a transaction makes its connection bypass the cache until the commit. A test
runs inside one transaction, so these tests say when their writes count as committed: the
`committed` fixture after the test data, `django_capture_on_commit_callbacks(execute=True)`
around a write (which runs what the commit would). One test commits for real.
"""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from accord.core import pagecache
from accord.core.choices import Classification, Role
from accord.registry import services
from conftest import PASSWORD, build_world, make_user


def committed() -> None:
    """As after the commit of what the test wrote so far."""
    connection._accord_dirty = False
    pagecache.changed()


@pytest.fixture
def world(db, django_user_model):
    world = build_world(django_user_model)
    committed()
    return world


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cache_state(response) -> str:
    return response.headers.get("X-Accord-Page-Cache", "")


def account_name(response) -> str:
    found = re.search(r'bi-person-circle" aria-hidden="true"></i> ([^<·]+)', response.text)
    return found.group(1).strip() if found else ""


def test_a_second_read_is_kept_and_costs_fewer_queries(world):
    client = logged_in(world.users.viewer)
    with CaptureQueriesContext(connection) as rendering:
        first = client.get("/organizations/UN/")
    assert cache_state(first) == "miss"
    with CaptureQueriesContext(connection) as reading:
        second = client.get("/organizations/UN/")
    assert cache_state(second) == "hit"
    # The session and the user (as every page), the data version and the page; the session's
    # new expiry is written (3 statements).
    assert len(reading) <= 8 < len(rendering)
    assert second.text == first.text.replace(
        re.search(r'"X-CSRFToken": "(\w+)"', first.text).group(1),
        re.search(r'"X-CSRFToken": "(\w+)"', second.text).group(1),
    )
    assert pagecache.CSRF_HOLE not in second.text
    assert pagecache.ACCOUNT_HOLE not in second.text


def test_users_of_one_audience_share_a_page_but_each_sees_their_own_name(world, django_user_model):
    other = make_user(django_user_model, "second-viewer", Role.VIEWER)
    committed()
    assert cache_state(logged_in(world.users.viewer).get("/organizations/")) == "miss"
    theirs = logged_in(other).get("/organizations/")
    assert cache_state(theirs) == "hit"
    assert account_name(theirs) == "second-viewer"
    assert "viewer ·" not in theirs.text.replace("second-viewer ·", "")


def test_the_kept_page_csrf_token_works_for_its_reader(world):
    client = Client(enforce_csrf_checks=True)
    client.login(username="viewer", password=PASSWORD)
    client.get("/organizations/UN/")
    kept = client.get("/organizations/UN/")
    assert cache_state(kept) == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', kept.text).group(1)
    # The logout form of the kept page logs this user out.
    response = client.post("/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get("/organizations/UN/").status_code == 302  # to the login page


def test_audiences_never_share_what_the_policy_keeps_apart(world):
    # The editor reads the page first: the restricted partnership and person are on it.
    editor_page = logged_in(world.users.editor).get("/organizations/OSCE/")
    assert "RESTRICTED-PERSON" in editor_page.text
    viewer_page = logged_in(world.users.viewer).get("/organizations/OSCE/")
    assert cache_state(viewer_page) == "miss"
    assert "RESTRICTED-PERSON" not in viewer_page.text
    assert "Ivo Internal" in viewer_page.text
    # A partner (the UN's focal point) sees neither the internal person nor the restricted one.
    partner_page = logged_in(world.users.partner).get("/organizations/OSCE/")
    assert cache_state(partner_page) == "miss"
    assert "Ivo Internal" not in partner_page.text
    assert "RESTRICTED-PERSON" not in partner_page.text
    # The UN person shared with the UN is seen by the UN's focal point...
    assert "Una Shared" in logged_in(world.users.partner).get("/people/").text
    # ...and not by the focal point of another organization, whose page is its own.
    sco_partner = make_user(
        type(world.users.viewer), "sco-focal", Role.PARTNER, organization=world.sco
    )
    committed()
    sco_people = logged_in(sco_partner).get("/people/")
    assert cache_state(sco_people) == "miss"
    assert "Una Shared" not in sco_people.text


def test_every_write_replaces_the_kept_pages(world, django_capture_on_commit_callbacks):
    client = logged_in(world.users.viewer)
    client.get("/organizations/UN/")
    assert cache_state(client.get("/organizations/UN/")) == "hit"
    # Through a service...
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_update(
            actor=world.users.editor,
            organization=world.un,
            expected_version=world.un.version,
            name="United Nations Organization",
        )
    page = client.get("/organizations/UN/")
    assert cache_state(page) == "miss"
    assert "United Nations Organization" in page.text
    # ...and by SQL by hand, which no signal would see.
    with django_capture_on_commit_callbacks(execute=True), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_organization SET name = %s WHERE acronym = %s",
            ["United Nations (by hand)", "UN"],
        )
    page = client.get("/organizations/UN/")
    assert cache_state(page) == "miss"
    assert "United Nations (by hand)" in page.text


def test_a_classification_change_takes_a_record_off_kept_pages(
    world, django_capture_on_commit_callbacks
):
    viewer = logged_in(world.users.viewer)
    assert "Ivo Internal" in viewer.get("/people/").text
    assert cache_state(viewer.get("/people/")) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.person_update(
            actor=world.users.editor,
            person=world.internal_person,
            expected_version=world.internal_person.version,
            classification=Classification.RESTRICTED,
        )
    page = viewer.get("/people/")
    assert "Ivo Internal" not in page.text


def test_a_transaction_that_wrote_reads_its_own_rows_not_kept_pages(
    transactional_db, django_user_model
):
    # Real commits and a real rollback, as in a served workspace.
    world = build_world(django_user_model)
    client = logged_in(world.users.viewer)
    client.get("/organizations/UN/")
    assert cache_state(client.get("/organizations/UN/")) == "hit"
    with transaction.atomic():
        services.organization_update(
            actor=None,
            organization=world.un,
            expected_version=world.un.version,
            name="Uncommitted name",
        )
        assert pagecache.dirty()
        page = client.get("/organizations/UN/")
        assert cache_state(page) == ""
        assert "Uncommitted name" in page.text
        transaction.set_rollback(True)
    assert not pagecache.dirty()
    page = client.get("/organizations/UN/")
    assert "Uncommitted name" not in page.text
    assert cache_state(page) == "hit"
    # A committed write: the next read renders the page.
    world.un.refresh_from_db()
    services.organization_update(
        actor=None, organization=world.un, expected_version=world.un.version, name="Committed"
    )
    page = client.get("/organizations/UN/")
    assert cache_state(page) == "miss"
    assert "Committed" in page.text


def test_writes_no_page_shows_leave_the_kept_pages(world):
    client = logged_in(world.users.viewer)
    client.get("/organizations/")
    version = pagecache.data_version()
    # A new session and an API token's use are writes no page shows.
    logged_in(world.users.editor)
    assert pagecache.data_version() == version
    assert cache_state(client.get("/organizations/")) == "hit"


def test_a_page_with_a_message_is_rendered_for_its_reader(world):
    client = logged_in(world.users.viewer)
    client.get("/organizations/")
    # A message waiting for this reader ("Saved ...", "The token is revoked."), as the
    # messages framework leaves it in a cookie between a POST and the page after it.
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "A message for the viewer")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    page = client.get("/organizations/")
    assert "A message for the viewer" in page.text
    assert cache_state(page) == ""
    # Shown once; the next read is the kept page again.
    again = client.get("/organizations/")
    assert "A message for the viewer" not in again.text
    assert cache_state(again) == "hit"


@pytest.mark.parametrize(
    "sql, table",
    [
        ('INSERT INTO "registry_organization" ("acronym") VALUES (%s)', "registry_organization"),
        ('UPDATE "registry_membership" SET "status" = %s', "registry_membership"),
        ('DELETE FROM "journal_journalentry" WHERE id = 1', "journal_journalentry"),
        ("TRUNCATE registry_country", "registry_country"),
        ('INSERT OR IGNORE INTO "registry_country_borders"', "registry_country_borders"),
    ],
)
def test_writes_are_recognised(sql, table):
    found = pagecache.WRITE.match(sql)
    assert found and found.group(1) == table
    assert not pagecache.quiet_table(table)


@pytest.mark.parametrize(
    "sql",
    [
        'UPDATE "django_session" SET "session_data" = %s',
        'INSERT INTO "accord_cache" (cache_key) VALUES (%s)',
        'UPDATE "core_apitoken" SET "last_used" = %s',
        'INSERT INTO "axes_accessattempt" ("username") VALUES (%s)',
    ],
)
def test_quiet_writes_are_recognised(sql):
    found = pagecache.WRITE.match(sql)
    assert found and pagecache.quiet_table(found.group(1))


@pytest.mark.parametrize("sql", ["SELECT 1", "SAVEPOINT s1", "RELEASE SAVEPOINT s1", "PRAGMA x"])
def test_reads_are_not_writes(sql):
    assert pagecache.WRITE.match(sql) is None
