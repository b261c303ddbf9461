"""The roles a signed-in user can hold."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do in the Registry; the public needs no account."""

    OPERATOR = "operator", _("Registry operator")
    AUTHORISED_BODY = "authorised_body", _("Authorised body")
    SUBJECT_EMPLOYEE = "subject_employee", _("Authorised employee of a subject")
    TUNDUK_OPERATOR = "tunduk_operator", _("Tunduk operator")


# The roles that run the Registry and the exchange, rather than report for one subject:
# they may (and, when TUNDUK_STAFF_TWO_FACTOR is on, must) sign in with a second factor.
STAFF_ROLES = frozenset({Role.OPERATOR, Role.AUTHORISED_BODY, Role.TUNDUK_OPERATOR})
