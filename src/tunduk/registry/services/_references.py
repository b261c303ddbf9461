"""The public applicant's reference number and status token: random, never guessable."""

from __future__ import annotations

import secrets

from tunduk.registry.models import AccessApplication

# Letters and digits that cannot be misread for each other over the phone (no 0/O, 1/I/L).
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "AA"


def new_reference() -> str:
    """A reference like ``AA-7KQ3-M9XD`` (about 40 bits, random), unused so far."""
    while True:
        body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        reference = f"{REFERENCE_PREFIX}-{body[:4]}-{body[4:]}"
        if not AccessApplication.objects.filter(reference=reference).exists():
            return reference


def new_status_token() -> str:
    """The secret of the status page link (256 bits); only its hash is stored."""
    return secrets.token_urlsafe(32)
