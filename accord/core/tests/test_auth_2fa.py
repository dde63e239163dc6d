"""Two-factor login with an authenticator app (TOTP), optional or required by role."""

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accord.core.choices import Role
from accord.core.models import ApiToken, Profile

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def fresh_cache(db):
    cache.clear()


def make(django_user_model, username, role):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    Profile.objects.create(user=user, role=role)
    return user


@pytest.fixture
def editor(django_user_model):
    return make(django_user_model, "eddie", Role.EDITOR)


def code_for(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device) -> str:
    return f"{(int(code_for(device)) + 1) % 10**device.digits:0{device.digits}d}"


def forgive(device) -> None:
    """Forget the wrong code: django-otp makes a device wait longer after each one."""
    device.refresh_from_db()
    device.throttle_reset()


@pytest.fixture
def device(editor):
    return TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)


def password_step(client, username="eddie"):
    return client.post("/login/", {"username": username, "password": PASSWORD, "next": "/people/"})


def test_setting_up_an_authenticator_from_the_account_page(editor, client):
    client.force_login(editor)
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    assert "<svg" in page.text and "<script" not in page.text.split("<main", 1)[1]
    pending = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert pending.config_url.startswith("otpauth://totp/")
    response = client.post(
        "/account/two-factor/", {"action": "confirm", "code": wrong_code_for(pending)}
    )
    assert response.status_code == 400
    assert "wrong or has expired" in response.text
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()

    forgive(pending)
    response = client.post("/account/two-factor/", {"action": "confirm", "code": code_for(pending)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=editor).confirmed


def test_login_with_a_device_needs_a_valid_code(editor, device, client):
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"] == "/login/verify/"
    assert "_auth_user_id" not in client.session  # not logged in on the password alone
    assert client.get("/people/").status_code == 302

    response = client.post("/login/verify/", {"code": wrong_code_for(device)})
    assert response.status_code == 400
    assert "wrong or has expired" in response.text
    assert "_auth_user_id" not in client.session

    forgive(device)
    response = client.post("/login/verify/", {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    assert client.session["_auth_user_id"] == str(editor.pk)
    assert client.get("/people/").status_code == 200


def test_the_code_step_needs_the_password_step_first(editor, device, client):
    response = client.post("/login/verify/", {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"
    assert "_auth_user_id" not in client.session


def test_a_user_without_a_device_logs_in_with_the_password(editor, client):
    assert password_step(client)["Location"] == "/people/"


def test_required_2fa_sends_an_editor_without_a_device_to_set_up(editor, client, settings):
    settings.ACCORD_REQUIRE_2FA = True
    client.force_login(editor)
    for url in ("/", "/organizations/", "/account/tokens/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/account/two-factor/"
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    assert "must log in with two factors" in page.text
    pending = TOTPDevice.objects.get(user=editor, confirmed=False)
    client.post("/account/two-factor/", {"action": "confirm", "code": code_for(pending)})
    assert client.get("/organizations/").status_code == 200


def test_required_2fa_leaves_viewers_alone(django_user_model, client, settings):
    settings.ACCORD_REQUIRE_2FA = True
    client.force_login(make(django_user_model, "vera", Role.VIEWER))
    assert client.get("/organizations/").status_code == 200


def test_required_2fa_logs_out_a_session_that_skipped_the_code(editor, device, client, settings):
    settings.ACCORD_REQUIRE_2FA = True
    client.force_login(editor)  # a session made without the code
    response = client.get("/organizations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_required_2fa_protects_the_admin_site(django_user_model, client, settings):
    settings.ACCORD_REQUIRE_2FA = True
    admin = make(django_user_model, "ada", Role.ADMINISTRATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    password_step(client, "ada")
    client.post("/login/verify/", {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200
    # The same user with a session that was never verified does not get in.
    other = Client()
    other.force_login(admin)
    assert other.get("/admin/").status_code == 302


def test_api_tokens_need_the_code_to_be_made_and_then_work(editor, device, client, settings):
    settings.ACCORD_REQUIRE_2FA = True
    body = {"username": "eddie", "password": PASSWORD}
    url = "/api/v1/auth/token"
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 401
    assert "code" in response.json()["detail"]
    response = client.post(
        url, {**body, "code": wrong_code_for(device)}, content_type="application/json"
    )
    assert response.status_code == 401
    forgive(device)
    response = client.post(url, {**body, "code": code_for(device)}, content_type="application/json")
    assert response.status_code == 200
    raw = response.json()["token"]
    # A token is used without a session, so without a second code on every call.
    response = Client().get("/api/v1/organizations", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_required_2fa_refuses_tokens_to_an_editor_without_a_device(editor, client, settings):
    settings.ACCORD_REQUIRE_2FA = True
    _, raw = ApiToken.issue(user=editor)  # made before the requirement, e.g. by the CLI
    response = client.post(
        "/api/v1/auth/token",
        {"username": "eddie", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    response = client.get("/api/v1/organizations", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
