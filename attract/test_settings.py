"""Settings for the test suite: the real settings with the few changes tests need."""

from attract.settings import *  # noqa: F403
from attract.settings import STORAGES

# The manifest needs `collectstatic`; tests serve files straight from the apps instead.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Argon2 is deliberately slow; tests that are not about hashing use a fast hasher. A test
# asserts that the real settings put Argon2 first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
WHITENOISE_USE_FINDERS = True

# The suite's databases are thrown away at the end: on PostgreSQL a commit need not wait for
# its WAL to reach the disk (the browser tests' live server commits and truncates every
# table after each test; that wait was most of their time).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        **DATABASES["default"].get("OPTIONS", {}),  # noqa: F405
        "options": "-c synchronous_commit=off",
    }
