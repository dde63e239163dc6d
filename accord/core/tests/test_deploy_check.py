"""The production profile: `check --deploy` is clean when the HTTPS variables are set."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from accord.core.management.commands import serve

ROOT = Path(__file__).resolve().parents[3]

HTTPS_ENV = {
    "ACCORD_HSTS_SECONDS": "31536000",
    "ACCORD_HSTS_INCLUDE_SUBDOMAINS": "true",
    "ACCORD_HSTS_PRELOAD": "true",
    "ACCORD_SSL_REDIRECT": "true",
    "ACCORD_SECURE_COOKIES": "true",
    "ACCORD_BEHIND_PROXY": "true",
    "ACCORD_ALLOWED_HOSTS": "accord.example.org",
    "ACCORD_CSRF_TRUSTED_ORIGINS": "https://accord.example.org",
}


def check_deploy(tmp_path, extra: dict) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ACCORD_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="accord.settings.production",
        ACCORD_DATA_DIR=str(tmp_path),
        ACCORD_SECRET_KEY=secrets.token_urlsafe(50),
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_variables(tmp_path):
    result = check_deploy(tmp_path, HTTPS_ENV)
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0


def test_check_deploy_warns_without_them(tmp_path):
    result = check_deploy(tmp_path, {})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output


SHOW_SETTINGS = """
import json
from accord.settings import production as s
print(json.dumps({
    "proxy_header": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "secure_cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "trusted_origins": s.CSRF_TRUSTED_ORIGINS,
    "cache": s.CACHES["default"]["BACKEND"],
    "sessions": s.SESSION_ENGINE,
    "tasks": s.TASKS["default"]["BACKEND"],
}))
"""


def production_settings(tmp_path, extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACCORD_", "DJANGO_"))}
    env.update(ACCORD_DATA_DIR=str(tmp_path), ACCORD_SECRET_KEY="x" * 60, **extra)
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_settings_follow_the_environment(tmp_path):
    plain = production_settings(tmp_path, {})
    assert plain == {
        "proxy_header": None,
        "secure_cookies": [False, False],
        "trusted_origins": [],
        "cache": "django.core.cache.backends.db.DatabaseCache",
        "sessions": "django.contrib.sessions.backends.db",
        "tasks": "django_tasks_db.DatabaseBackend",
    }
    redis_url = "redis://:pw@127.0.0.1:6379/3"
    deployed = production_settings(tmp_path, {**HTTPS_ENV, "ACCORD_REDIS_URL": redis_url})
    assert deployed == {
        "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "secure_cookies": [True, True],
        "trusted_origins": ["https://accord.example.org"],
        "cache": "django.core.cache.backends.redis.RedisCache",
        "sessions": "django.contrib.sessions.backends.cached_db",
        "tasks": "django_tasks_rq.RQBackend",
    }


def test_serve_trusts_forwarded_headers_only_from_a_configured_proxy(monkeypatch):
    for key in ("ACCORD_FORWARDED_ALLOW_IPS", "ACCORD_BEHIND_PROXY"):
        monkeypatch.delenv(key, raising=False)
    argv = serve.gunicorn_argv(host="127.0.0.1", port=8765, workers=3)
    assert argv[argv.index("--forwarded-allow-ips") + 1] == ""
    assert argv[argv.index("--workers") + 1] == "3"

    monkeypatch.setenv("ACCORD_BEHIND_PROXY", "true")
    argv = serve.gunicorn_argv(host="127.0.0.1", port=8765, workers=3)
    assert argv[argv.index("--forwarded-allow-ips") + 1] == "127.0.0.1,::1"

    monkeypatch.setenv("ACCORD_FORWARDED_ALLOW_IPS", "10.0.0.5")
    argv = serve.gunicorn_argv(host="127.0.0.1", port=8765, workers=3)
    assert argv[argv.index("--forwarded-allow-ips") + 1] == "10.0.0.5"


@pytest.mark.parametrize(("env", "cores", "expected"), [("5", 64, 5), ("", 1, 3), ("", 64, 8)])
def test_serve_picks_a_sensible_number_of_workers(monkeypatch, env, cores, expected):
    monkeypatch.setenv("ACCORD_WORKERS", env)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
    assert serve.default_workers() == expected
