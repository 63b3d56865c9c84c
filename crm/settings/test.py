"""Test settings: the real settings, with a fast password hasher and local e-mail capture."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# One test database per test process, so that several runs on one machine (a developer's
# suite beside a benchmark or a second checkout) never share or drop each other's database.
_default = DATABASES["default"]  # noqa: F405
_default.setdefault("TEST", {})
if _default["ENGINE"].endswith("sqlite3"):
    _default["TEST"]["NAME"] = str(VAR_DIR / f"test_noclash_{os.getpid()}.sqlite3")  # noqa: F405
else:
    _default["TEST"]["NAME"] = f"test_{_default['NAME']}_{os.getpid()}"
    # Transactional tests end with a flush, which is a TRUNCATE of every table: the history
    # tables refuse it unless the table's owner (the test run's role) says so in its session
    # (leads/migrations/0012_history_truncate_guard.py).
    _options = _default.setdefault("OPTIONS", {})
    _options["options"] = (_options.get("options", "") + " -c noclash.allow_truncate=on").strip()
