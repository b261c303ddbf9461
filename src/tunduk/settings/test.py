"""Settings for pytest: fast hashing, in-memory e-mail, isolated media."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Tests run in development mode (plain-HTTP test client, keys created on the fly in a
# temporary directory); base reads the environment once, on import, so say it first.
os.environ["TUNDUK_DEBUG"] = "true"

from tunduk.settings.base import *  # noqa: F403  # a settings module extends the base one

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
_TMP = Path(tempfile.mkdtemp(prefix="tunduk-test-"))
MEDIA_ROOT = _TMP / "media"
TUNDUK_JOURNAL_KEY_FILE = _TMP / "journal-signer.key"
TUNDUK_TSA_STATE_DIR = _TMP / "tsa"
TUNDUK_CA_STATE_DIR = _TMP / "ca"
TUNDUK_GLOBALCONF_KEY_DIR = _TMP / "globalconf"
TUNDUK_DEVELOPMENT_TRUST = True
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405  # Q_CLUSTER comes from the base settings
LANGUAGE_CODE = "en"
