"""A user's secret calendar feed and reminder preference: reads and writes.

The feed's token is a credential, like an API token (accord/core/models.py, ApiToken): it is
shown once, when it is made, and only its SHA-256 hash is kept. Renewing replaces it (the old
address stops at once); revoking deletes it (the address answers 404).
"""

from __future__ import annotations

import hmac
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import translation

from accord.core import policy
from accord.core.models import hash_token

from .models import CalendarFeed, ReminderPreference

# What secrets.token_urlsafe() makes; anything else is not looked up at all.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


def feed_get(*, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_create(*, user) -> tuple[CalendarFeed, str]:
    """Make the user's feed, or renew it: a new token, the old one stops working."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        feed = CalendarFeed.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:8])
    return feed, raw


def feed_revoke(*, user) -> bool:
    """Delete the user's feed; False when there was none."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def feed_user(token: str):
    """The user whose feed this token opens, if it still may read anything; else None.

    The user's role is judged now, at every read: an inactive user, or one who lost their
    role, gets nothing, and a partner's organization is the one their profile names today.
    """
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    digest = hash_token(token)
    feed = (
        CalendarFeed.objects.select_related("user", "user__accord_profile")
        .filter(key_hash=digest)
        .first()
    )
    # The lookup is by an index on the hash; comparing the hashes again in constant time keeps
    # the answer's timing from depending on how much of a guess was right.
    if feed is None or not hmac.compare_digest(feed.key_hash, digest):
        return None
    user = feed.user
    if not user.is_active or not policy.can_view(user):
        return None
    return user


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def preferred_language(user) -> str | None:
    """The language the user chose for reminders and the feed, or None."""
    preference = ReminderPreference.objects.filter(user=user).only("language").first()
    if preference is None or preference.language not in language_codes():
        return None
    return preference.language


def preference_set(*, user, language: str) -> ReminderPreference:
    """Set the language of the user's reminders and feed ("" for the workspace's default)."""
    preference, _ = ReminderPreference.objects.get_or_create(user=user)
    preference.language = language
    preference.full_clean()
    preference.save(update_fields=["language"])
    return preference


def default_language() -> str:
    """The workspace's default language (settings.LANGUAGE_CODE)."""
    return translation.get_supported_language_variant(settings.LANGUAGE_CODE)
