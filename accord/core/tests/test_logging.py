"""Logs: one JSON line per request on stdout; client errors without tracebacks."""

import io
import json
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import include, path

from accord.core.logging import JsonFormatter


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("the view broke")


# The site's pages (the error pages link to them) and two that fail.
urlpatterns = [
    path("forbidden/", forbidden),
    path("broken/", broken),
    path("", include("accord.urls")),
]


@pytest.fixture
def stdout_log(caplog):
    """What the console handler prints, with the access log switched on as in production."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)
    )
    stream = io.StringIO()
    old = handler.setStream(stream)
    caplog.set_level(logging.INFO, logger="accord.access")
    try:
        yield stream
    finally:
        handler.setStream(old)


def lines(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_404_logs_one_json_line_without_traceback(
    db, client, django_user_model, stdout_log, caplog
):
    user = django_user_model.objects.create_user("ana", password="a-long-test-password")
    client.force_login(user)

    response = client.get("/no-such-page/", headers={"X-Request-ID": "probe-12345678"})

    assert response.status_code == 404
    assert "Traceback" not in stdout_log.getvalue()
    [entry] = lines(stdout_log)
    assert entry["logger"] == "accord.access"
    assert entry["level"] == "INFO"
    assert entry["method"] == "GET"
    assert entry["path"] == "/no-such-page/"
    assert entry["status"] == 404
    assert entry["user_id"] == user.pk
    assert entry["request_id"] == "probe-12345678" == response["X-Request-ID"]
    assert isinstance(entry["duration_ms"], float)
    access = [r for r in caplog.records if r.name == "accord.access"]
    assert len(access) == 1 and access[0].status == 404


def test_an_anonymous_request_gets_a_new_request_id(db, client, stdout_log):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    [entry] = [e for e in lines(stdout_log) if e["logger"] == "accord.access"]
    assert entry["user_id"] is None
    assert entry["request_id"] == response["X-Request-ID"]
    assert len(entry["request_id"]) == 32 and "\n" not in entry["request_id"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_403_logs_one_line_and_a_500_logs_its_traceback_once(db, django_user_model, stdout_log):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("ana"))

    assert client.get("/forbidden/").status_code == 403
    assert "Traceback" not in stdout_log.getvalue()
    assert [e["status"] for e in lines(stdout_log)] == [403]

    stdout_log.seek(0)
    stdout_log.truncate()
    assert client.get("/broken/").status_code == 500
    output = stdout_log.getvalue()
    assert output.count("Traceback") == 1
    error, access = lines(stdout_log)
    assert error["logger"] == "django.request" and error["level"] == "ERROR"
    assert "RuntimeError: the view broke" in error["exception"]
    assert error["request_id"] == access["request_id"]
    assert access["status"] == 500


@override_settings(ALLOWED_HOSTS=["accord.example.org"])
def test_a_bad_host_is_logged_without_traceback(db, client, stdout_log):
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    output = stdout_log.getvalue()
    assert "Traceback" not in output
    security, access = lines(stdout_log)
    assert security["logger"] == "django.security.DisallowedHost"
    assert "evil.example" in security["message"]
    assert access["status"] == 400
