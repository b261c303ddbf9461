"""Find a public applicant's application by its reference and secret token.

A wrong token and an unknown reference give the same answer, after the same work (one
query and one constant-time comparison), so the page tells nothing about which
references exist.
"""

from __future__ import annotations

import hmac

from tunduk.accounts.tokens import hash_token
from tunduk.registry.models import AccessApplication

REFERENCE_MAX_LENGTH = 20
TOKEN_MAX_LENGTH = 100
# Compared against when there is nothing to compare, so both paths do the same work; a
# match against it never counts (``has_token`` below).
_NO_MATCH = "0" * 64


def find_application(reference: str, token: str) -> AccessApplication | None:
    """The application with ``reference`` whose status token is ``token``, else ``None``."""
    reference, token = reference.strip().upper(), token.strip()
    if not reference or not token:
        return None
    if len(reference) > REFERENCE_MAX_LENGTH or len(token) > TOKEN_MAX_LENGTH:
        return None
    application = (
        AccessApplication.objects.select_related("subject").filter(reference=reference).first()
    )
    stored = (
        application.status_token_hash
        if application and application.status_token_hash
        else _NO_MATCH
    )
    matches = hmac.compare_digest(stored, hash_token(token))
    has_token = application is not None and bool(application.status_token_hash)
    return application if matches and has_token else None
