"""Settings for `accord serve` and any deployment: the base settings, hardened."""

from .base import *  # noqa: F403

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
