"""Settings for the tools anyone outside the operator runs: ``tunduk journal monitor``,
``tunduk journal check-proof``, ``tunduk witness`` (issue 7, finding 2) and each organisation's
``tunduk gateway`` (issue 9).

They read the journal's public URLs and files and keep their own state, so they need none
of central's configuration: no secret key, database, signing keys, time-stamping authority
or site URL, and they create no data directory. ``python -m tunduk`` picks this module
for those commands when ``DJANGO_SETTINGS_MODULE`` is not set.
"""

from __future__ import annotations

import os
import secrets

DEBUG = False
# Nothing is signed with it (no sessions, no forms); Django only needs one to be set.
SECRET_KEY = secrets.token_urlsafe(50)
# tunduk.site holds the thin `gateway` command shell (it defines no models).
INSTALLED_APPS = ["tunduk.journaling", "tunduk.site"]
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
# ``journal check-proof`` checks a proof's checkpoint against this origin when given.
TUNDUK_JOURNAL_ORIGIN = os.environ.get("TUNDUK_JOURNAL_ORIGIN") or None
