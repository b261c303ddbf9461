"""Settings for pytest: fast hashing, in-memory e-mail, isolated media."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tunduk.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
_TMP = Path(tempfile.mkdtemp(prefix="tunduk-test-"))
MEDIA_ROOT = _TMP / "media"
TUNDUK_JOURNAL_KEY_FILE = _TMP / "journal-signer.key"
TUNDUK_TSA_STATE_DIR = _TMP / "tsa"
TUNDUK_CA_STATE_DIR = _TMP / "ca"
TUNDUK_GLOBALCONF_KEY_DIR = _TMP / "globalconf"
TUNDUK_DEVELOPMENT_TRUST = True
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
LANGUAGE_CODE = "en"
