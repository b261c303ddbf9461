"""WSGI entry point for the central role.

Outside development the server refuses to start when a key it signs with is missing
(the ``trust`` system checks), rather than fail on the first request that needs it.
"""

import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from tunduk.trust.keyfiles import CHECK_TAG

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tunduk.settings.base")
application = get_wsgi_application()

_errors = [message for message in checks.run_checks(tags=[CHECK_TAG]) if message.is_serious()]
if _errors:
    raise ImproperlyConfigured("\n".join(str(message) for message in _errors))
