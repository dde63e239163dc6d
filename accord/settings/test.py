"""Settings for the test suite: fast hashing, plain static storage."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEBUG = False
ALLOWED_HOSTS = ["*"]

# The database cache, whatever the environment says: a test's cache entries roll back with it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "accord_cache",
    }
}
CACHES["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # see base.py
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Tasks run as they are enqueued; the tests of the queue itself use the "database" backend.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
# One line per request is noise in a test run; tests that read it capture it (caplog).
LOGGING["loggers"]["accord.access"]["level"] = "WARNING"  # noqa: F405

# RQ's apps are installed for the whole run (their tests point them at Redis): adding them in
# one test left their admin pages registered for the next, where the admin index then failed.
if "django_rq" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]  # noqa: F405
RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/5"}}
