"""Background tasks: work that should not hold a request.

A task is a function decorated with `@task()` in an app's `tasks.py`. Code enqueues it with
`the_task.enqueue(*args)`; `accord worker` runs it, from the database queue or, when
ACCORD_REDIS_URL is set, from Redis (RQ). Arguments and return values must be JSON. Later apps
(reminders, imports, reindexing, generated documents) enqueue their work the same way.
"""

import datetime
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django_tasks import task

# Finished task results are kept this long (days) in the database queue, then pruned.
TASK_RESULT_DAYS = 14


@task()
def ping() -> str:
    """Does nothing: a worker that runs it shows the queue works (see /healthz)."""
    return "pong"


@task()
def clear_expired_sessions_and_tokens() -> dict[str, int | None]:
    """Delete expired sessions and API tokens, and old finished task results."""
    from accord.core.models import ApiToken

    now = timezone.now()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if hasattr(store, "get_model_class"):  # sessions kept in the database (db, cached_db)
        sessions, _ = store.get_model_class().objects.filter(expire_date__lt=now).delete()
    else:  # cache and cookie sessions expire by themselves
        store.clear_expired()
        sessions = None
    tokens, _ = ApiToken.objects.filter(expires__lt=now).delete()
    task_results = None
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        old = now - datetime.timedelta(days=TASK_RESULT_DAYS)
        task_results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=old).delete()
    return {"sessions": sessions, "tokens": tokens, "task_results": task_results}
