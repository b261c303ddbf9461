"""State e-mail domains: the authorised employee's departmental e-mail must be on one (000 §16, §19)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.core.fields import bounded_text


def normalise_domain(value: str) -> str:
    """A domain as compared: lower case, no surrounding dots or spaces, IDNA-encoded."""
    text = value.strip().strip(".").lower()
    try:
        return text.encode("idna").decode("ascii")
    except UnicodeError:
        return text


class StateDomain(models.Model):
    """A domain whose mailboxes belong to the state, kept by the Registry operator.

    An address matches when its domain *is* this one or ends with ``.`` and this one:
    ``gov.kg`` covers ``tax.gov.kg``, never ``xgov.kg`` or ``gov.kg.example.com``.
    """

    domain = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        help_text=_("For example gov.kg; its subdomains are covered too."),
        error_messages={"unique": _("This domain is already on the list.")},
    )
    note = models.TextField(_("note"), blank=True, **bounded_text(limits.LONG_TEXT))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("state e-mail domain")
        verbose_name_plural = _("state e-mail domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args: object, **kwargs: object) -> None:
        """Store the domain as it is compared."""
        self.domain = normalise_domain(self.domain)
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # Model.save's keywords


def is_state_email(address: str) -> bool:
    """Whether ``address`` is a mailbox on a listed state domain or one of its subdomains."""
    _local, at, domain = address.rpartition("@")
    if not at or not _local:
        return False
    domain = normalise_domain(domain)
    if not domain:
        return False
    candidates = {domain}
    parts = domain.split(".")
    candidates.update(".".join(parts[index:]) for index in range(1, len(parts)))
    return StateDomain.objects.filter(domain__in=candidates).exists()
