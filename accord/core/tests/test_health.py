"""/healthz: database, cache and task queue, for probes; no login, no secrets, no traceback."""

import os
from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accord.core.tests.test_tasks import DATABASE_TASKS, REDIS_URL, redis_or_skip


@override_settings(TASKS=DATABASE_TASKS)
def test_healthz_is_ok_for_anyone(db, client):
    cache.delete("accord:healthz:ping")  # as if no ping had been sent for a minute
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["engine"] == connection.vendor
    assert body["cache"]["status"] == "ok"
    assert body["cache"]["backend"] == "DatabaseCache"
    tasks = body["tasks"]
    assert tasks["backend"] == "DatabaseBackend"
    assert tasks["status"] == "ok"
    # The health check enqueued a ping for the worker; it is waiting, just now.
    assert tasks["ready"] == 1
    assert tasks["oldest_ready_age_s"] < 60
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(TASKS=DATABASE_TASKS, ACCORD_TASKS_MAX_WAIT=300)
def test_healthz_fails_while_no_worker_takes_tasks(transactional_db, client):
    from django_tasks_db.models import DBTaskResult

    cache.delete("accord:healthz:ping")
    client.get("/healthz")  # enqueues a ping
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["tasks"]["status"] == "error"
    assert body["tasks"]["oldest_ready_age_s"] >= 600
    assert body["database"]["status"] == body["cache"]["status"] == "ok"

    call_command("worker", "--batch", verbosity=0)  # a worker comes back and takes the ping
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["tasks"]["ready"] == 0
    cache.delete("accord:healthz:ping")  # the cache table outlives this test's data


@override_settings(
    TASKS=DATABASE_TASKS,
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1; the password must not come out.
            "LOCATION": "redis://:s3cret-cache-password@127.0.0.1:1/5",
        }
    },
)
def test_healthz_reports_a_broken_cache_without_secrets(db, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["cache"] == {"backend": "RedisCache", "status": "error", "error": "ConnectionError"}
    assert body["database"]["status"] == "ok"
    text = response.content.decode()
    assert "s3cret" not in text
    assert "Traceback" not in text


def test_healthz_answers_only_reads(db, client):
    assert client.post("/healthz").status_code == 405


def test_healthz_with_redis_and_rq(db, client, settings):
    import django_rq

    redis_or_skip()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"accord-health-{worker}"
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}, name: {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"accord-health-{worker}",
        }
    }
    queue = django_rq.get_queue(name)
    queue.empty()
    cache.delete("accord:healthz:ping")
    try:
        response = client.get("/healthz")
        body = response.json()
        assert response.status_code == 200, body
        assert body["cache"] == {"status": "ok", "backend": "RedisCache", "ms": body["cache"]["ms"]}
        assert body["tasks"]["backend"] == "RQBackend"
        assert body["tasks"]["status"] == "ok"
        # The ping the health check enqueued waits for a worker; none is running.
        assert body["tasks"]["ready"] == 1
        assert body["tasks"]["workers"] == 0
        assert queue.count == 1
    finally:
        queue.empty()
        cache.delete("accord:healthz:ping")
