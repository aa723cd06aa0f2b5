"""Test settings: the production settings with a test key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("HTTPS_ONLY", "0")

from xianan_lawgov.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflowapp"]  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# Two-factor login is off in tests except where a test turns it on (the browser tests log
# in through the page with a password only); rates high enough never to get in the way of
# tests that are not about them.
LAWGOV_SECURITY = {
    **LAWGOV_SECURITY,  # noqa: F405
    "TWO_FACTOR_ROLES": [],
    "API_RATE_PER_TOKEN": "100000/hour",
    "API_RATE_PER_ADDRESS": "100000/hour",
    "BAD_TOKENS_PER_ADDRESS": "1000/minute",
}

# Each test process keeps its own cache in memory, so tests never wait on one another's cache
# rows; the shared database cache of production is exercised by tests/operations/test_health.py.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
