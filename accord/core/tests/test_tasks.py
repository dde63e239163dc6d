"""Background tasks: enqueued on the database queue (or RQ on Redis), run by `accord worker`."""

import io
import os
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend

from accord.core.models import ApiToken
from accord.core.tasks import clear_expired_sessions_and_tokens, ping

# The worker commits as it goes and closes connections it finds in a transaction, so the tests
# that run it use `transactional_db`, as a worker process would see the database.
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
REDIS_URL = "redis://127.0.0.1:6379/5"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def make_expired_and_live_rows(user):
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(1))
    expired, _ = ApiToken.issue(user=user, name="old", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires=now - timedelta(minutes=1))
    ApiToken.issue(user=user, name="current", days=1)
    ApiToken.issue(user=user, name="forever", days=0)


@override_settings(TASKS=DATABASE_TASKS)
def test_cleanup_in_the_background_waits_for_the_worker(transactional_db, django_user_model):
    user = django_user_model.objects.create_user("ana", password="a-long-test-password")
    make_expired_and_live_rows(user)

    task_id = run("cleanup", "--background").strip().splitlines()[-1]

    # Enqueued, not done: the request (here the command) did not do the work.
    result = default_task_backend.get_result(task_id)
    assert result.status == TaskResultStatus.READY
    assert Session.objects.filter(session_key="expired").exists()

    run("worker", "--batch")

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sessions": 1, "tokens": 1, "task_results": 0}
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == ["current", "forever"]


@override_settings(TASKS=DATABASE_TASKS)
def test_cleanup_runs_at_once_without_background(db, django_user_model):
    user = django_user_model.objects.create_user("ana", password="a-long-test-password")
    make_expired_and_live_rows(user)
    assert "sessions: 1, tokens: 1" in run("cleanup")
    assert Session.objects.count() == 1
    assert ApiToken.objects.count() == 2


@override_settings(TASKS=DATABASE_TASKS)
def test_worker_runs_tasks_in_order_and_records_failures(transactional_db):
    from django_tasks_db.models import DBTaskResult

    first = ping.enqueue()
    second = ping.enqueue()
    broken = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="accord.core.tasks.no_such_task",
        backend_name="default",
        run_after=timezone.now() - timedelta(seconds=1),
    )

    run("worker", "--batch")

    for result in (first, second):
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == "pong"
    broken.refresh_from_db()
    assert broken.status == TaskResultStatus.FAILED
    assert not DBTaskResult.objects.ready().exists()


@override_settings(TASKS=DATABASE_TASKS)
def test_cleanup_prunes_old_finished_task_results(transactional_db):
    from django_tasks_db.models import DBTaskResult

    old, recent = ping.enqueue(), ping.enqueue()
    run("worker", "--batch")
    DBTaskResult.objects.filter(id=old.id).update(finished_at=timezone.now() - timedelta(days=30))

    assert clear_expired_sessions_and_tokens.call()["task_results"] == 1
    assert list(DBTaskResult.objects.values_list("id", flat=True)) == [recent.db_result.id]


def test_worker_refuses_a_backend_without_a_queue(db):
    with pytest.raises(CommandError, match="without a worker"):
        run("worker", "--batch")


# RQ on Redis: a database number of its own and a queue per test worker, so parallel runs
# and a Redis that serves something else are left alone.


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):  # .ci/run starts Redis: in CI nothing skips
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return client


@pytest.fixture
def rq_queue(settings):
    """An RQ task backend on a queue of this test worker's own in Redis database 5."""
    import django_rq

    redis_or_skip()
    name = f"accord-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    # django-tasks-rq looks results up on the "default" connection.
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}, name: {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    queue = django_rq.get_queue(name)
    queue.empty()
    yield name
    queue.empty()
    for registry in (queue.finished_job_registry, queue.failed_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)


def test_rq_worker_runs_an_enqueued_task(rq_queue):
    import django_rq

    result = ping.using(queue_name=rq_queue).enqueue()
    assert django_rq.get_queue(rq_queue).count == 1
    assert result.status == TaskResultStatus.READY

    run("worker", "--batch")

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "pong"
    assert django_rq.get_queue(rq_queue).count == 0
