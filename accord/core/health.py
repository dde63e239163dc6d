"""/healthz: whether the database, the cache and the task queue work, for probes and monitors.

Answers 200 when all three are fine and 503 otherwise, as JSON. It names engines and backends,
never addresses or passwords, and an error is reported by its class, never with a traceback.
"""

import datetime
import logging
import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Case, Count, F, Min, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

logger = logging.getLogger(__name__)

# The health check enqueues a `ping` task at most this often (seconds), so that a queue with
# no worker taking tasks shows up as a task waiting too long.
PING_EVERY = 60


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _failed(part: str, exc: Exception) -> dict:
    logger.warning("Health check of the %s failed: %s: %s", part, type(exc).__name__, exc)
    return {"status": "error", "error": type(exc).__name__}


def check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"engine": connection.vendor, **_failed("database", exc)}
    return {"status": "ok", "engine": connection.vendor, "ms": _ms(started)}


def check_cache() -> dict:
    started = time.perf_counter()
    backend = type(caches["default"]).__name__
    key = f"accord:healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=30)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        return {"backend": backend, **_failed("cache", exc)}
    if value != "ok":
        return {"backend": backend, "status": "error", "error": "the value set was not read back"}
    return {"status": "ok", "backend": backend, "ms": _ms(started)}


def _age(moment: datetime.datetime | None, now: datetime.datetime) -> float | None:
    if moment is None:
        return None
    if timezone.is_naive(moment):  # RQ keeps UTC times without a zone
        moment = moment.replace(tzinfo=datetime.UTC)
    return round(max((now - moment).total_seconds(), 0.0), 1)


def _database_queue(backend) -> dict:
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A task deferred to run later has waited since its run_after, not since it was enqueued.
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
    )
    ready = DBTaskResult.objects.ready().filter(backend_name=backend.alias)
    found = ready.aggregate(count=Count("id"), oldest=Min(waiting_since))
    return {"ready": found["count"], "oldest": found["oldest"]}


def _redis_queue(backend) -> dict:
    import django_rq
    from rq import Worker

    ready, oldest, workers = 0, None, 0
    for name in sorted(backend.queues):
        queue = django_rq.get_queue(name)
        queue.connection.ping()
        ready += queue.count
        workers += Worker.count(queue=queue)
        first = queue.get_job_ids(0, 1)
        job = queue.fetch_job(first[0]) if first else None
        if job is not None and job.enqueued_at is not None:
            enqueued = job.enqueued_at
            if timezone.is_naive(enqueued):
                enqueued = enqueued.replace(tzinfo=datetime.UTC)
            oldest = enqueued if oldest is None else min(oldest, enqueued)
    return {"ready": ready, "oldest": oldest, "workers": workers}


def _enqueue_ping(backend) -> None:
    from accord.core.tasks import ping

    if cache.add("accord:healthz:ping", "1", timeout=PING_EVERY):
        for queue_name in sorted(backend.queues):
            ping.using(queue_name=queue_name, backend=backend.alias).enqueue()


def check_tasks() -> dict:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    name = type(backend).__name__
    module = type(backend).__module__
    try:
        _enqueue_ping(backend)
        if module.startswith("django_tasks_db"):
            report = _database_queue(backend)
        elif module.startswith("django_tasks_rq"):
            report = _redis_queue(backend)
        else:  # the immediate backend runs tasks as they are enqueued: nothing waits
            return {"status": "ok", "backend": name}
    except Exception as exc:
        return {"backend": name, **_failed("task queue", exc)}
    now = timezone.now()
    oldest_age = _age(report.pop("oldest"), now)
    result = {"status": "ok", "backend": name, **report, "oldest_ready_age_s": oldest_age}
    if oldest_age is not None and oldest_age > settings.ACCORD_TASKS_MAX_WAIT:
        result["status"] = "error"
        result["error"] = f"a task has waited over {settings.ACCORD_TASKS_MAX_WAIT} s"
    return result


@login_not_required
@require_safe
@never_cache
def healthz(request):
    parts = {
        "database": check_database(),
        "cache": check_cache(),
        "tasks": check_tasks(),
    }
    healthy = all(part["status"] == "ok" for part in parts.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **parts}, status=200 if healthy else 503
    )
