"""Test settings: fast hashing, plain static storage; the database comes from DATABASE_URL."""

import os
import secrets
import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CONSENT_RATE_LIMIT = "off"  # tests that need it turn it on (tests/security/test_consent_rate_limit.py)
WAGTAILADMIN_BASE_URL = "http://testserver"
# The site generation in this process's memory, so parallel test runs never share it
# (tests/conftest.py empties it before each test). With REDIS_URL the base settings apply.
if PAGE_CACHE_ALIAS is None:  # noqa: F405
    CACHES["site_generation"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "site-generation",
    }

# Lets parallel runs against one PostgreSQL server use their own test database.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database file of this run's own, not Django's default in-memory database: the live
    # server's threads then get connections of their own, and SQLite's locking (immediate write
    # transactions, busy timeout: cms/settings/environment.py) serialises concurrent writers as in
    # production. Under TMPDIR (a RAM disk there makes it faster); Django deletes it after the run.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(
            tempfile.gettempdir(), f"policy-site-tests-{os.getpid()}-{secrets.token_hex(4)}.sqlite3"
        )
    }
