"""Bearer-token authentication: ``Authorization: Bearer <token>``.

``token_required`` refuses a request without a token (401); ``token_optional`` lets it
through as the anonymous public. Either refuses a token that is unknown or revoked (401)
rather than silently treating the caller as the public, and an expired one the same
way. A read-only token may only read: any other method is refused with 403 and the
standard error body, and the refusal is audited.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from tunduk.accounts.models import User
from tunduk.accounts.tokens import ApiToken
from tunduk.api.errors import InvalidToken
from tunduk.core.actors import Actor
from tunduk.core.errors import NotPermitted

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """Resolve the bearer token to its user; ``request.auth`` is the acting user."""

    def __init__(self, *, optional: bool = False) -> None:
        super().__init__()
        self.optional = optional

    def __call__(self, request: HttpRequest) -> Actor | None:
        header = request.headers.get(self.header, "")
        if not header.strip():
            return AnonymousUser() if self.optional else None
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise InvalidToken
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = ApiToken.authenticate(token)
        if found is None:
            raise InvalidToken
        if found.read_only and request.method not in SAFE_METHODS:
            raise NotPermitted(
                _("This API token is read-only; use a token that may write."),
                actor=found.user,
                action="write_with_read_only_token",
                token=found.pk,
            )
        request.user = found.user
        return found.user


token_required = TokenAuth()
token_optional = TokenAuth(optional=True)
