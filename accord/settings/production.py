"""Settings for `accord serve` and any deployment: the base settings, hardened.

HTTPS settings are switched on by environment variables, because `accord demo` serves plain
HTTP on a laptop; a deployment behind TLS sets them (see "Production profile" in README.md).
"""

import os

from .base import *  # noqa: F403
from .base import env_bool

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Strict-Transport-Security: browsers use HTTPS only, for this many seconds (0: not sent).
SECURE_HSTS_SECONDS = int(os.environ.get("ACCORD_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ACCORD_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("ACCORD_HSTS_PRELOAD", False)
# Plain HTTP is redirected to HTTPS; a health probe on the local network may use plain HTTP.
SECURE_SSL_REDIRECT = env_bool("ACCORD_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Session and CSRF cookies only over HTTPS.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("ACCORD_SECURE_COOKIES", False)
# Behind a reverse proxy that terminates TLS, it tells Django the request came over HTTPS. The
# proxy must set (not pass on) X-Forwarded-Proto, and Accord must be reachable only through it.
if env_bool("ACCORD_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Origins allowed to POST forms, e.g. https://accord.example.org (comma-separated).
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("ACCORD_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]
