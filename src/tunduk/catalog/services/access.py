"""Access requests, grants and groups: multilateral access (004), owners decide (003 §3.2.8)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tunduk import limits
from tunduk.accounts.actors import signed_in_user
from tunduk.catalog.choices import AccessRequestStatus
from tunduk.catalog.lifecycle import ACCESS_REQUEST, GRANT, Action, grant_status
from tunduk.catalog.models import (
    AccessRequest,
    Endpoint,
    Grant,
    Group,
    GroupMembership,
    Service,
    Subsystem,
)
from tunduk.catalog.services import _tell
from tunduk.catalog.services._common import (
    commit_event,
    configuration_changed,
    require_active,
    require_member_of,
    require_tunduk_operator,
    service,
)
from tunduk.core.actors import Actor
from tunduk.core.audit import Event
from tunduk.core.errors import InvalidInput, TransitionError
from tunduk.identifiers import IdentifierError, check_part


def _check_endpoint(service_obj: Service, endpoint: Endpoint | None) -> None:
    if endpoint is not None and endpoint.service_id != service_obj.pk:
        raise InvalidInput(_("The endpoint belongs to another service."), field="endpoint")


@service
def request_access(
    user: Actor,
    client: Subsystem,
    service_obj: Service,
    purpose: str,
    endpoint: Endpoint | None = None,
) -> AccessRequest:
    """Any participant may ask for access to any service (004, multilateral)."""
    require_member_of(user, client.participant, action="request_access")
    require_active(user, client.participant, action="request_access")
    if not service_obj.is_enabled:
        raise InvalidInput(_("This service is not offered at the moment."), field="service")
    _check_endpoint(service_obj, endpoint)
    if service_obj.subsystem_id == client.pk:
        raise InvalidInput(
            _("A subsystem does not need access to its own service."), field="client"
        )
    if not purpose.strip():
        raise InvalidInput(_("Say why the access is needed."), field="purpose")
    pending = AccessRequest.objects.filter(
        service=service_obj, client=client, endpoint=endpoint, status=AccessRequestStatus.PENDING
    )
    if pending.exists():
        raise TransitionError(_("The same request is already awaiting the owner's decision."))
    request = AccessRequest.objects.create(
        service=service_obj,
        endpoint=endpoint,
        client=client,
        purpose=purpose.strip(),
        requested_by=signed_in_user(user),
    )
    commit_event(
        Event.ACCESS_REQUESTED,
        request,
        user,
        service=str(service_obj.identifier),
        client=str(client.identifier),
    )
    _tell.access_requested(request)
    return request


@service
def decide_access(
    user: Actor, request: AccessRequest, *, grant: bool, comment: str = ""
) -> AccessRequest:
    """The service owner grants or refuses a request; a grant is recorded as a ``Grant``."""
    request = (
        AccessRequest.objects.select_for_update()
        .select_related("service__subsystem__participant", "client__participant")
        .get(pk=request.pk)
    )
    owner = request.service.subsystem.participant
    require_member_of(user, owner, obj=request, action="decide_access")
    target = ACCESS_REQUEST.next_status(request.status, Action.GRANT if grant else Action.REFUSE)
    if not grant and not comment.strip():
        raise InvalidInput(_("Explain the refusal."), field="comment")
    if grant:
        require_active(user, request.client.participant, action="decide_access")
    request.status = target
    request.decided_by = signed_in_user(user)
    request.decided_at = timezone.now()
    request.comment = comment.strip()
    request.save()
    commit_event(Event.ACCESS_DECIDED, request, user, granted=grant)
    if grant:
        _create_grant(
            user, request.service, request.endpoint, client=request.client, access_request=request
        )
    _tell.access_decided(request)
    return request


def _create_grant(
    user: Actor, service_obj: Service, endpoint: Endpoint | None, **target: Any
) -> Grant:
    current = Grant.objects.filter(
        service=service_obj,
        endpoint=endpoint,
        revoked_at__isnull=True,
        **{key: value for key, value in target.items() if key in ("client", "group")},
    )
    if current.exists():
        raise TransitionError(_("This access is already granted."))
    # Every active grant is a line of the signed global configuration: keep it bounded.
    active = Grant.objects.filter(service=service_obj, revoked_at__isnull=True).count()
    if active >= limits.SERVICE_GRANTS:
        raise InvalidInput(
            _(
                "The service already has %(limit)d active grants, the most it may have; "
                "grant to a group instead, or revoke grants no longer needed."
            )
            % {"limit": limits.SERVICE_GRANTS},
            field="client",
            limit=limits.SERVICE_GRANTS,
        )
    created = Grant.objects.create(
        service=service_obj, endpoint=endpoint, granted_by=signed_in_user(user), **target
    )
    commit_event(Event.GRANT_CREATED, created, user, service=str(service_obj.identifier))
    configuration_changed()
    return created


@service
def grant_access(
    user: Actor,
    service_obj: Service,
    *,
    client: Subsystem | None = None,
    group: Group | None = None,
    endpoint: Endpoint | None = None,
) -> Grant:
    """The owner grants a subsystem or a whole group access without a request."""
    require_member_of(
        user, service_obj.subsystem.participant, obj=service_obj, action="grant_access"
    )
    _check_endpoint(service_obj, endpoint)
    if (client is None) == (group is None):
        raise InvalidInput(_("Grant access to one subsystem or one group."), field="client")
    if client is not None:
        require_active(user, client.participant, action="grant_access")
        return _create_grant(user, service_obj, endpoint, client=client)
    return _create_grant(user, service_obj, endpoint, group=group)


@service
def revoke_grant(user: Actor, grant: Grant, reason: str) -> Grant:
    """The owner revokes a grant; the grant stays in the history with the reason."""
    grant = (
        Grant.objects.select_for_update()
        .select_related("service__subsystem__participant")
        .get(pk=grant.pk)
    )
    require_member_of(user, grant.service.subsystem.participant, obj=grant, action="revoke_grant")
    GRANT.next_status(grant_status(grant), Action.REVOKE)
    if not reason.strip():
        raise InvalidInput(_("State why the grant is revoked."), field="reason")
    grant.revoked_at = timezone.now()
    grant.revoked_by = signed_in_user(user)
    grant.revocation_reason = reason.strip()
    grant.save()
    commit_event(Event.GRANT_REVOKED, grant, user)
    configuration_changed()
    _tell.grant_revoked(grant)
    return grant


@service
def create_group(user: Actor, instance: str, code: str, description: str) -> Group:
    """The operator defines a global group of subsystems."""
    require_tunduk_operator(user, action="create_group")
    try:
        check_part(code, "group code")
    except IdentifierError as error:
        raise InvalidInput(str(error), field="code") from error
    if Group.objects.filter(instance=instance, code=code).exists():
        raise InvalidInput(
            _("The group code %(code)s is already used.") % {"code": code}, field="code"
        )
    group = Group.objects.create(instance=instance, code=code, description=description.strip())
    commit_event(Event.GROUP_CREATED, group, user)
    configuration_changed()
    return group


@service
def set_group_membership(user: Actor, group: Group, subsystem: Subsystem, *, member: bool) -> None:
    """Add a subsystem to a group, or end its membership (kept in the history)."""
    require_tunduk_operator(user, group, "group_membership")
    current = GroupMembership.objects.filter(
        group=group, subsystem=subsystem, removed_at__isnull=True
    )
    if member and not current.exists():
        membership = GroupMembership.objects.create(group=group, subsystem=subsystem)
    elif not member and current.exists():
        membership = current.get()
        membership.removed_at = timezone.now()
        membership.save(update_fields=["removed_at"])
    else:
        return
    commit_event(Event.GROUP_MEMBERSHIP_CHANGED, membership, user, member=member)
    configuration_changed()
