"""Settings for the benchmarks: the app's base settings against the bench database.

The database comes from ACCORD_DATABASE_URL, else the SQLite file in ACCORD_DATA_DIR, which
defaults to bench/out/ here (not the developer's data/ directory).
"""

import os
import warnings
from pathlib import Path

os.environ.setdefault("ACCORD_DATA_DIR", str(Path(__file__).resolve().parent / "out"))

from accord.settings.base import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Whitenoise looks for STATIC_ROOT, which the benchmarks never collect.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
