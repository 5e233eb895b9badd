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
