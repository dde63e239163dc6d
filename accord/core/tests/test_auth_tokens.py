"""API tokens: a user's own list and revocation, the token page, revocation on password change."""

import getpass
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from accord.core.choices import Role
from accord.core.models import ApiToken, Profile

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fresh_cache(db):
    cache.clear()


def make(django_user_model, username, role=Role.VIEWER):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    Profile.objects.create(user=user, role=role)
    return user


@pytest.fixture
def vera(django_user_model):
    return make(django_user_model, "vera")


@pytest.fixture
def otto(django_user_model):
    return make(django_user_model, "otto")


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def api_login(client, username="vera", **extra):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD, **extra},
        content_type="application/json",
    )


def test_a_user_lists_only_their_own_tokens_without_secrets(vera, otto, client):
    mine, raw = ApiToken.issue(user=vera, name="laptop")
    ApiToken.issue(user=otto, name="otto's")
    response = client.get("/api/v1/auth/tokens", headers=bearer(raw))
    assert response.status_code == 200
    items = response.json()
    assert [t["name"] for t in items] == ["laptop"]
    assert set(items[0]) == {"id", "name", "prefix", "created", "expires", "last_used"}
    assert items[0]["prefix"] == raw[:8]
    assert mine.key_hash not in response.text
    assert client.get("/api/v1/auth/tokens").status_code == 401


def test_a_user_revokes_their_own_token_but_not_anothers(vera, otto, client):
    mine, raw = ApiToken.issue(user=vera, name="laptop")
    spare, _ = ApiToken.issue(user=vera, name="spare")
    theirs, _ = ApiToken.issue(user=otto, name="otto's")
    response = client.delete(f"/api/v1/auth/tokens/{theirs.pk}", headers=bearer(raw))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    response = client.delete(f"/api/v1/auth/tokens/{spare.pk}", headers=bearer(raw))
    assert response.status_code == 204
    assert not ApiToken.objects.filter(pk=spare.pk).exists()
    # Revoking the token in use ends it at once.
    assert client.delete(f"/api/v1/auth/tokens/{mine.pk}", headers=bearer(raw)).status_code == 204
    assert client.get("/api/v1/auth/tokens", headers=bearer(raw)).status_code == 401


def test_a_token_login_replaces_the_previous_login_token(vera, client, settings):
    settings.ACCORD_LOGIN_TOKEN_DAYS = 30
    first = api_login(client).json()["token"]
    second = api_login(client).json()["token"]
    other = api_login(client, name="ci").json()["token"]
    assert client.get("/api/v1/auth/tokens", headers=bearer(first)).status_code == 401
    listed = client.get("/api/v1/auth/tokens", headers=bearer(second)).json()
    assert sorted(t["name"] for t in listed) == ["api login", "ci"]
    assert client.get("/api/v1/auth/tokens", headers=bearer(other)).status_code == 200
    token = ApiToken.objects.get(user=vera, name="api login")
    assert 29 <= (token.expires - token.created).days <= 30


def test_changing_the_password_on_the_page_revokes_tokens(vera, client):
    _, raw = ApiToken.issue(user=vera, name="laptop")
    client.force_login(vera)
    page = client.get("/account/password/")
    assert page.status_code == 200
    assert "revokes all your API tokens" in page.text
    response = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-password-1",
            "new_password2": "another-long-password-1",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=vera).exists()
    assert Client().get("/api/v1/auth/tokens", headers=bearer(raw)).status_code == 401
    assert client.get("/account/").status_code == 200  # the session goes on


def test_changing_the_password_in_the_admin_or_the_cli_revokes_tokens(
    vera, otto, client, world, monkeypatch
):
    ApiToken.issue(user=vera, name="laptop")
    ApiToken.issue(user=otto, name="laptop")
    client.force_login(world.users.admin)
    response = client.post(
        f"/admin/auth/user/{vera.pk}/password/",
        {"password1": "another-long-password-1", "password2": "another-long-password-1"},
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=vera).exists()
    assert ApiToken.objects.filter(user=otto).exists()

    # `accord changepassword` (Django's command) asks twice on the terminal.
    monkeypatch.setattr(getpass, "getpass", lambda *a, **k: "yet-another-password-2")
    call_command("changepassword", "otto", stdout=io.StringIO())
    assert not ApiToken.objects.filter(user=otto).exists()


def test_logging_in_does_not_revoke_tokens_even_when_the_hash_is_upgraded(vera, client, settings):
    ApiToken.issue(user=vera, name="laptop")
    # Logging in with another preferred hasher rewrites the stored hash: not a new password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = vera.password
    assert client.post("/login/", {"username": "vera", "password": PASSWORD}).status_code == 302
    vera.refresh_from_db()
    assert vera.password != old_hash
    assert ApiToken.objects.filter(user=vera).exists()


def test_the_token_page_creates_a_token_shown_once_and_revokes_it(vera, otto, client):
    theirs, _ = ApiToken.issue(user=otto, name="otto's")
    client.force_login(vera)
    response = client.post("/account/tokens/", {"name": "reporting script"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=vera)
    raw = response.context["new_token"]
    assert raw in response.text and "not shown again" in response.text
    assert token.key_hash not in response.text
    assert Client().get("/api/v1/auth/tokens", headers=bearer(raw)).status_code == 200
    listing = client.get("/account/tokens/").text
    assert "reporting script" in listing and raw not in listing
    assert "otto&#x27;s" not in listing

    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=vera).exists()
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_the_user_menu_links_the_account_pages(vera, client):
    client.force_login(vera)
    page = client.get("/account/").text
    for url in ("/account/tokens/", "/account/password/", "/account/two-factor/"):
        assert f'href="{url}"' in page


def test_the_openapi_schema_is_readable_with_a_bearer_token(vera, client):
    _, raw = ApiToken.issue(user=vera)
    response = client.get("/api/v1/openapi.json", headers=bearer(raw))
    assert response.status_code == 200
    assert "/api/v1/auth/tokens" in response.json()["paths"]
    anonymous = client.get("/api/v1/openapi.json")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"detail": "Authentication required."}
    assert client.get("/api/v1/openapi.json", headers=bearer("nope")).status_code == 401
    assert client.get("/api/v1/docs").status_code == 302
    client.force_login(vera)
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_anonymous_writes_get_401_json_not_a_csrf_error(world):
    client = Client(enforce_csrf_checks=True)
    body = {"acronym": "X", "name": "X", "kind": "regional"}
    response = client.post("/api/v1/organizations", body, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required."}
    assert client.delete("/api/v1/organizations/UN").status_code == 401


def test_a_session_write_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.editor)
    body = {"acronym": "X", "name": "X", "kind": "regional"}
    response = client.post("/api/v1/organizations", body, content_type="application/json")
    assert response.status_code == 403
    assert not world.osce.__class__.objects.filter(acronym="X").exists()
