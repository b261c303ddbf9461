"""The operator's list of state e-mail domains (000 §16, §19): add and remove, audited."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.audit import Event, record
from tunduk.core.errors import InvalidInput
from tunduk.core.permissions import require_role
from tunduk.core.services import service
from tunduk.registry.models import StateDomain
from tunduk.registry.models.domains import normalise_domain

# Letters, digits and hyphens per label, at least two labels: "gov.kg", "tax.gov.kg".
DOMAIN_SYNTAX = re.compile(
    r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$"
)


@service
def add_state_domain(user: Actor, domain: str, note: str = "") -> StateDomain:
    """The Registry operator adds a domain whose mailboxes belong to the state."""
    require_role(user, Role.OPERATOR, action="add_state_domain")
    name = normalise_domain(domain)
    if not DOMAIN_SYNTAX.match(name):
        raise InvalidInput(
            _("“%(domain)s” is not a domain name such as gov.kg.") % {"domain": domain.strip()},
            field="domain",
        )
    if StateDomain.objects.filter(domain=name).exists():
        raise InvalidInput(_("This domain is already on the list."), field="domain")
    added = StateDomain.objects.create(
        domain=name, note=note.strip(), added_by=signed_in_user(user)
    )
    record(Event.STATE_DOMAIN_CHANGED, actor=user, obj=added, action="added", domain=name)
    return added


@service
def remove_state_domain(user: Actor, domain: StateDomain) -> None:
    """The Registry operator removes a domain; applications already granted stay granted."""
    require_role(user, Role.OPERATOR, obj=domain, action="remove_state_domain")
    record(
        Event.STATE_DOMAIN_CHANGED, actor=user, obj=domain, action="removed", domain=domain.domain
    )
    domain.delete()
