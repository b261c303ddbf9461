"""The roles a signed-in user can hold."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do in the Registry; the public needs no account."""

    OPERATOR = "operator", _("Registry operator")
    AUTHORISED_BODY = "authorised_body", _("Authorised body")
    SUBJECT_EMPLOYEE = "subject_employee", _("Authorised employee of a subject")
    TUNDUK_OPERATOR = "tunduk_operator", _("Tunduk operator")
