"""Password guessing: lockout after five failures, per username and client address."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client

from accord.core.choices import Role
from accord.core.models import Profile

PASSWORD = "a-long-test-password"
TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture(autouse=True)
def fresh_cache(db):
    # The login throttle lives in the cache, which outlives one test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def viewer(db, django_user_model):
    user = django_user_model.objects.create_user(username="vera", password=PASSWORD)
    Profile.objects.create(user=user, role=Role.VIEWER)
    return user


def web_login(client, password, **headers):
    return client.post("/login/", {"username": "vera", "password": password}, headers=headers)


def api_login(client, password, **headers):
    return client.post(
        TOKEN_URL,
        {"username": "vera", "password": password},
        content_type="application/json",
        headers=headers,
    )


def test_web_login_locks_out_after_five_wrong_passwords(viewer, client):
    for _ in range(4):
        response = web_login(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    # The fifth failure locks out, and so does every attempt after it.
    for _ in range(2):
        response = web_login(client, "wrong")
        assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert 'class="navbar' in response.text  # a page in the app's layout

    response = web_login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/organizations/").status_code == 302  # still not logged in


def test_right_password_before_the_limit_logs_in(viewer, client):
    for _ in range(4):
        web_login(client, "wrong")
    response = web_login(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_api_token_login_locks_out_and_answers_json(viewer, client):
    statuses = [api_login(client, "wrong").status_code for _ in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]
    response = api_login(client, PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "Too many failed logins" in response.json()["detail"]
    assert "token" not in response.json()


def test_a_forged_x_forwarded_for_does_not_reset_the_lockout(viewer, client):
    for i in range(5):
        web_login(client, "wrong", x_forwarded_for=f"10.0.0.{i}")
    response = web_login(client, PASSWORD, x_forwarded_for="192.0.2.77")
    assert response.status_code == 429
    response = api_login(client, PASSWORD, x_forwarded_for="198.51.100.3")
    assert response.status_code == 429


def test_x_forwarded_for_counts_when_a_trusted_proxy_is_configured(viewer, client, settings):
    settings.ACCORD_TRUSTED_PROXIES = 1
    for _ in range(5):
        web_login(client, "wrong", x_forwarded_for="192.0.2.1")
    assert web_login(client, PASSWORD, x_forwarded_for="192.0.2.1").status_code == 429
    # Another client behind the same proxy is not locked out by the first one's failures.
    other = web_login(Client(), PASSWORD, x_forwarded_for="forged, 192.0.2.2")
    assert other.status_code == 302


def test_the_lockout_is_kept_in_the_database(viewer, client):
    for _ in range(5):
        api_login(client, "wrong")
    attempt = AccessAttempt.objects.get(username="vera")
    assert attempt.failures_since_start == 5
    assert attempt.ip_address == "127.0.0.1"
    # Another worker has its own memory and an empty local cache: only the database is shared.
    cache.clear()
    assert web_login(Client(), PASSWORD).status_code == 429


def test_the_token_endpoint_is_throttled_per_address_across_usernames(db, client, settings):
    settings.ACCORD_LOGIN_RATE = "3/m"
    statuses = [
        client.post(
            TOKEN_URL,
            {"username": f"guess{i}", "password": "x"},
            content_type="application/json",
            headers={"x-forwarded-for": f"10.1.1.{i}"},
        ).status_code
        for i in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_the_web_login_is_throttled_per_address_across_usernames(db, client, settings):
    settings.ACCORD_LOGIN_RATE = "3/m"
    statuses = [
        client.post(
            "/login/", {"username": f"guess{i}", "password": "x"}, headers={"x-forwarded-for": i}
        ).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
