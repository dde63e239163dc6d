"""Security headers on every page, and the idle session timeout."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from accord.core.choices import Role
from accord.core.models import Profile


@pytest.fixture
def viewer(db, django_user_model):
    user = django_user_model.objects.create_user(username="vera", password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.VIEWER)
    return user


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def test_pages_send_a_content_security_policy_without_inline_script(viewer, client):
    client.force_login(viewer)
    for url in ("/login/", "/organizations/", "/account/"):
        policy = directives(client.get(url))
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'", url
        assert "unsafe-inline" not in policy["script-src"]
        assert policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'"
        assert policy["form-action"] == "'self'"
        assert policy["base-uri"] == "'self'"
        assert policy["img-src"] == "'self' data:"


def test_templates_have_no_inline_script_or_event_handlers(viewer, client):
    client.force_login(viewer)
    page = client.get("/organizations/").text
    assert "onchange=" not in page and "onclick=" not in page
    scripts = [chunk.split(">", 1)[0] for chunk in page.split("<script")[1:]]
    assert scripts and all("src=" in attrs for attrs in scripts)


def test_pages_send_a_permissions_policy(client, db):
    header = client.get("/login/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in header


def test_a_session_idle_longer_than_the_limit_is_logged_out(viewer, client):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert idle == timedelta(minutes=60)  # ACCORD_SESSION_IDLE_MINUTES' default
    client.force_login(viewer)
    start = timezone.now()
    # Busy: a request every 50 minutes keeps the session, well past the first hour.
    for minutes in (50, 100, 150):
        with mock.patch(
            "django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)
        ):
            assert client.get("/organizations/").status_code == 200, minutes
    # Idle for 61 minutes after the last request: logged out.
    later = start + timedelta(minutes=150) + idle + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get("/organizations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
