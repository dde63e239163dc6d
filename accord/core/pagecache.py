"""Read pages kept rendered, per audience and data version, until anything is written.

Kept pages are in the "pages" cache (each process's memory, settings/base.py); the data
version is in the default cache, which every process shares.

A page a user reads is the same for everyone who sees the workspace through the same eyes:
the policy decides what a user sees from the role and, for a partner, the organization
(accord/core/policy.py), and nothing else. So a rendered page is kept under a key made of

- the workspace's *data version*, a random token that changes after every write to the
  database (any table but sessions, the cache, login throttling and API token use);
- the audience (role and partner organization), the language, the time zone, the day;
- the full address and the htmx headers (a partial answer is another page).

Two holes are left in the kept HTML and filled on each request: the CSRF token and the user
name in the navbar. A request with messages to show is rendered afresh (and shows them).

Writes are seen where SQL is run: an execute wrapper on every database connection (installed
by CoreConfig.ready) looks at each statement, so a service, an import, a restore, the admin, a
raw UPDATE or a bulk_create all count, in every process. A write in autocommit changes the
version before the connection's next statement (see note_write); a write in a transaction
marks the connection, which then bypasses the cache (it may see its own uncommitted rows),
and changes the version when the transaction commits.
A reader that read the old version before the commit can only store what it read under the
old version, which no later reader asks for.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language

from . import policy

logger = logging.getLogger(__name__)

VERSION_KEY = "accord:data-version"
KEY_PREFIX = "accord:page:v1:"
# Long enough for a busy office's reading, short enough that "3 minutes ago" and the like
# never grow old; a change of data replaces every entry at once anyway.
PAGE_CACHE_SECONDS = 10 * 60
# Markers rendered in place of the per-user parts; letters only, so escaping keeps them whole.
CSRF_HOLE = "accordholecsrfq7x3"
ACCOUNT_HOLE = "accordholeaccountq7x3"

WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|TRUNCATE"
    r"(?:\s+TABLE)?|CREATE|DROP|ALTER|COPY)\s+(?:ONLY\s+)?\"?([\w.]*)",
    re.IGNORECASE,
)
# Tables whose rows no page shows: writing them leaves the pages as they are.
QUIET_TABLES = ("django_session", "axes_", "otp_", "django_tasks", "core_apitoken", "auth_user")


def quiet_table(table: str) -> bool:
    table = table.lower()
    cache_tables = {
        str(c.get("LOCATION", "")).lower()
        for c in settings.CACHES.values()
        if c.get("BACKEND", "").endswith("DatabaseCache")
    }
    return table in cache_tables or table.startswith(QUIET_TABLES)


def data_version() -> str:
    settle()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    return version


def changed() -> None:
    """The data changed: every kept page is out of date.

    Runs outside any transaction (in autocommit or after a commit), so a cache that cannot be
    written (its table not made yet during `migrate`, Redis away) spoils nothing; it is logged.
    """
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - any cache backend's failure
        # During `migrate` the cache's table comes after the first writes; a cache that is
        # away shows in /healthz and in the warnings of kept_page's reads.
        logger.debug("The data version could not be changed in the cache", exc_info=True)


def _committed(alias: str) -> None:
    connections[alias]._accord_dirty = False
    changed()


def note_write(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Called after a statement that wrote to a table pages show.

    Nothing is run here: the statement's rows may not be fetched yet (SQLite's INSERT ...
    RETURNING), and a cache write on the same connection would end its transaction. In
    autocommit the change is made before the connection's next statement, or when the
    request ends, or when a page asks for the version; in a transaction, after the commit.
    """
    connection = connections[alias]
    if not connection.in_atomic_block:
        connection._accord_change_due = True
        return
    if not getattr(connection, "_accord_dirty", False) or not any(
        getattr(entry[1], "_accord_page_version", False) for entry in connection.run_on_commit
    ):
        connection._accord_dirty = True

        def after_commit():
            _committed(alias)

        after_commit._accord_page_version = True
        transaction.on_commit(after_commit, using=alias)


def settle(alias: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Make the change a finished autocommit write left due (also on request_finished)."""
    connection = connections[alias]
    if getattr(connection, "_accord_change_due", False) and not connection.in_atomic_block:
        connection._accord_change_due = False
        changed()


def write_watcher(alias: str) -> Callable:
    def watch(execute, sql, params, many, context):
        settle(alias)
        result = execute(sql, params, many, context)
        found = WRITE.match(sql) if isinstance(sql, str) else None
        if found and not quiet_table(found.group(1)):
            note_write(alias)
        return result

    watch._accord_page_watch = True
    return watch


def watch_connection(sender, connection, **kwargs) -> None:
    """connection_created: look at every statement this connection runs.

    Django's passing connections (`__no_db__`, made to create a test database) are left alone.
    """
    if connection.alias not in connections.settings:
        return
    if not any(getattr(w, "_accord_page_watch", False) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(write_watcher(connection.alias))


def dirty(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """This connection is inside a transaction that wrote: it must not use kept pages."""
    connection = connections[alias]
    return connection.in_atomic_block and getattr(connection, "_accord_dirty", False)


def audience(user) -> str:
    role = policy.role_of(user)
    return f"{role.value if role else '-'}:{policy.partner_organization_id(user) or ''}"


def page_key(request) -> str:
    parts = [
        data_version(),
        audience(request.user),
        get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.headers.get("HX-Boosted", ""),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return KEY_PREFIX + digest


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    # len() loads the messages without marking them shown.
    return storage is not None and len(storage) > 0


def holes(request) -> dict:
    """Context processor: the account name, or the holes when the page is being kept."""
    if getattr(request, "_accord_keep_page", False):
        return {"csrf_token": CSRF_HOLE, "account_name": ACCOUNT_HOLE}
    user = getattr(request, "user", None)
    return {"account_name": user.get_username() if user is not None else ""}


def fill(html: str, request) -> str:
    return html.replace(CSRF_HOLE, get_token(request)).replace(
        ACCOUNT_HOLE, escape(request.user.get_username())
    )


def kept_page(request, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page `render()` makes, from the cache when this audience has it for this data."""
    if request.method not in ("GET", "HEAD") or _has_messages(request) or dirty():
        return render()
    try:
        key = page_key(request)
        kept = caches["pages"].get(key)
    except Exception:  # noqa: BLE001 - without its cache the page is rendered as usual
        logger.warning("The page cache could not be read", exc_info=True)
        return render()
    if kept is not None:
        content_type, html = kept
        response = HttpResponse(fill(html, request), content_type=content_type)
        response["X-Accord-Page-Cache"] = "hit"
        return response
    request._accord_keep_page = True
    try:
        response = render()
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    finally:
        request._accord_keep_page = False
    if (
        response.status_code != 200
        or response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
        or dirty()
    ):
        # Not a page to keep (a redirect, an error): answered as it is, holes filled.
        if not response.streaming and response.get("Content-Type", "").startswith("text/"):
            response.content = fill(response.content.decode(response.charset), request).encode(
                response.charset
            )
        return response
    html = response.content.decode(response.charset)
    try:
        caches["pages"].set(key, (response["Content-Type"], html), PAGE_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("The page cache could not be written", exc_info=True)
    response.content = fill(html, request).encode(response.charset)
    response["X-Accord-Page-Cache"] = "miss"
    return response


class KeptPageMixin:
    """For read-only pages (GET): kept rendered as described above. Put after PolicyMixin."""

    def dispatch(self, request, *args, **kwargs):
        parent = super().dispatch
        if getattr(self, "export", False):
            return parent(request, *args, **kwargs)
        return kept_page(request, lambda: parent(request, *args, **kwargs))
