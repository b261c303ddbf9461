"""One small world with every role and the records their pages show, for the design and
accessibility checks (tests/browser/test_design.py) and the screenshots
(docs/screenshots/take.py): the pages each role uses most, by URL.

Every role has at least ``MOST_USED`` distinct pages, in order of use, each answering 200;
the records those pages show (an application in each state, a decommissioning notice, an
information request, a gateway and a certificate awaiting the operator, an access request,
a group, a notice, a published journal checkpoint) are built through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ACCESS_APPLICATION,
    AuthorisedBodyUserFactory,
    DayTransferFactory,
    OperatorFactory,
    catalog_world,
    csr_for,
    make_element,
    make_registered,
    pdf,
)
from tunduk.catalog.choices import CertificateProfile, NoticeKind
from tunduk.catalog.services import access, gateways, notices
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.registry import services
from tunduk.registry.models import ReviewDecision
from tunduk.registry.services import (
    applications,
    decommissioning,
    domains,
    information_requests,
)

# 000 §20 field 1 allows 500 characters: one word that long must wrap, not stretch the page.
LONG_WORD = "Маалыматтык" * 45 + "системасы"[:5]
# Issue 11 (17): the accessibility check covers this many pages per role.
MOST_USED = 20
# The one page that is meant to answer 404 (the anonymous visitor's mistyped address).
NOT_FOUND = "/no-such-page/"


@dataclass
class World:
    """The users by role and the pages each of them opens most, in order of use."""

    users: dict[str, Any]
    pages: dict[str, list[str]] = field(default_factory=dict)
    long_element: Any = None


def _registry_records(world: SimpleNamespace) -> None:
    """Elements in each state, their decisions, applications, a notice and a request."""
    employee, operator, body = world.catalog.provider_engineer, world.operator, world.body
    registered = make_registered(employee, operator, full_name="Unified register of benefits")
    retired = make_registered(employee, operator, full_name="Archive of paper registers")
    pending = make_element(employee, full_name="Population register")
    # A transactional test starts without the seeded gov.kg: the ministry's domain is listed.
    domains.add_state_domain(operator, "mdd.gov.kg", "Ministry of Digital Development")
    application = {**ACCESS_APPLICATION, "employee_email": "a.asanova@mdd.gov.kg"}
    received = applications.submit_application(employee.subject, application)
    forwarded = applications.submit_application(
        employee.subject, {**application, "element_full_name": "Tax register"}
    )
    applications.forward_application(body, forwarded)
    vars(world).update(
        registered=registered,
        long_element=make_registered(employee, operator, full_name=LONG_WORD[:500]),
        draft=make_element(employee, full_name="Electronic document flow"),
        submission=services.submit_element(employee, pending),
        decision=ReviewDecision.objects.get(submission__element=registered),
        received=received,
        forwarded=forwarded,
        notice=decommissioning.notify_decommissioning(
            employee,
            retired,
            decision_date=timezone.localdate(),
            decision_reference="Order No. 7",
            decision_copy=pdf("decision.pdf"),
        ),
        question=information_requests.ask(
            body, registered, "Which bodies read the register?", timezone.localdate()
        ),
        transfer=DayTransferFactory(),
    )


def _catalog_records(world: SimpleNamespace) -> None:
    """A gateway and a signing certificate awaiting the operator, an access request awaiting
    the provider, a group and a published notice."""
    catalog = world.catalog
    provider, engineer = catalog.provider, catalog.provider_engineer
    gateway = gateways.register_gateway(
        engineer, provider, "gw1", "gw1.births.internal:8443", csr_for(provider, server_code="gw1")
    )
    vars(world).update(
        gateway=gateway,
        certificate=gateways.request_certificate(
            engineer, provider, CertificateProfile.SIGNING, csr_for(provider)
        ),
        access_request=access.request_access(
            catalog.consumer_engineer,
            catalog.consumer_subsystem,
            catalog.service,
            "Benefits are paid from the child's birth date",
        ),
        group=access.create_group(
            catalog.tunduk_operator, provider.instance, "ministries", "Ministries"
        ),
        catalog_notice=notices.report_notice(
            catalog.tunduk_operator,
            None,
            kind=NoticeKind.MAINTENANCE,
            title="Central services maintenance",
            description="The central services are updated; exchange continues.",
            starts_at=timezone.now() + timedelta(days=2),
        ),
        agreement=provider.agreements.get(),
    )


def _public_pages(world: SimpleNamespace) -> list[str]:
    """What a visitor opens: the Registry's records, applying for access, the Catalog."""
    service = world.catalog.service
    return [
        reverse("registry:home"),
        reverse("registry:element-list"),
        reverse("registry:element-list") + "?q=register",
        reverse("registry:element-detail", args=[world.registered.pk]),
        reverse("registry:element-history", args=[world.registered.pk]),
        reverse("registry:element-detail", args=[world.long_element.pk]),
        reverse("registry:application-create"),
        reverse("registry:application-status-lookup"),
        reverse(
            "registry:application-status",
            args=[world.received.reference, world.received.issued_status_token],
        ),
        reverse("catalog:participant-list"),
        reverse("catalog:service-list"),
        reverse("catalog:service-detail", args=[service.pk]),
        reverse("catalog:subsystem-list"),
        reverse("catalog:notice-list"),
        reverse("catalog:appendix-history", args=[service.pk]),
        reverse("catalog:appendix-version", args=[service.pk, 1]),
        reverse("globalconf:overview"),
        reverse("journaling:entry-proof-page", args=[0]),
        "/api/docs",
        reverse("accounts:login"),
        reverse("accounts:password-reset"),
    ]


def _employee_pages(world: SimpleNamespace, public: list[str]) -> list[str]:
    """A subject's engineer: the elements, their forms, the decisions, the Catalog's forms."""
    catalog = world.catalog
    return [
        reverse("registry:dashboard"),
        reverse("notifications:inbox"),
        reverse("registry:element-edit", args=[world.draft.pk]),
        reverse("registry:element-create"),
        reverse("registry:document-upload", args=[world.draft.pk]),
        reverse("registry:element-submit", args=[world.draft.pk]),
        reverse("registry:decision-detail", args=[world.decision.pk]),
        reverse("registry:information-request-answer", args=[world.question.pk]),
        reverse("registry:decommissioning-create", args=[world.registered.pk]),
        reverse("catalog:participation"),
        reverse("catalog:service-edit", args=[catalog.service.pk]),
        reverse("catalog:access-request-decide", args=[world.access_request.pk]),
        reverse("catalog:grant-create", args=[catalog.service.pk]),
        reverse("catalog:service-create", args=[catalog.provider_subsystem.pk]),
        reverse("catalog:subsystem-create"),
        reverse("catalog:gateway-create"),
        reverse("catalog:certificate-request"),
        reverse("catalog:certificate-detail", args=[world.certificate.pk]),
        reverse("catalog:notice-create"),
        reverse("catalog:sla-create"),
        reverse("accounts:token-create"),
        reverse("accounts:profile"),
        *public[1:5],
    ]


def _operator_pages(world: SimpleNamespace, public: list[str]) -> list[str]:
    """The Registry operator: the review queue, applications, decommissionings, the calendar."""
    return [
        reverse("registry:submission-queue"),
        reverse("registry:submission-review", args=[world.submission.pk]),
        reverse("notifications:inbox"),
        reverse("registry:application-list"),
        reverse("registry:application-detail", args=[world.forwarded.pk]),
        reverse("registry:decommissioning-list"),
        reverse("registry:decommissioning-detail", args=[world.notice.pk]),
        reverse("registry:information-request-list"),
        reverse("registry:decision-detail", args=[world.decision.pk]),
        reverse("workdays:transfer-list"),
        reverse("workdays:transfer-edit", args=[world.transfer.pk]),
        reverse("registry:state-domain-list"),
        *public[1:6],
        reverse("accounts:profile"),
        reverse("accounts:two-factor"),
        reverse("accounts:token-create"),
    ]


def _body_pages(world: SimpleNamespace, public: list[str]) -> list[str]:
    """The authorised body: applications to forward, decommissionings to agree, requests."""
    return [
        reverse("registry:application-list"),
        reverse("registry:application-detail", args=[world.received.pk]),
        reverse("notifications:inbox"),
        reverse("registry:decommissioning-list"),
        reverse("registry:decommissioning-detail", args=[world.notice.pk]),
        reverse("registry:information-request-list"),
        reverse("registry:information-request-create", args=[world.registered.pk]),
        reverse("registry:decision-detail", args=[world.decision.pk]),
        reverse("registry:application-detail", args=[world.forwarded.pk]),
        *public[1:6],
        reverse("globalconf:overview"),
        reverse("catalog:participant-list"),
        reverse("catalog:service-list"),
        reverse("accounts:profile"),
        reverse("accounts:two-factor"),
        reverse("accounts:token-create"),
    ]


def _tunduk_operator_pages(world: SimpleNamespace) -> list[str]:
    """The Tunduk operator: participants, trust decisions, groups, notices, the configuration."""
    catalog = world.catalog
    return [
        reverse("catalog:operator-home"),
        reverse("notifications:inbox"),
        reverse("catalog:gateway-list"),
        reverse("catalog:gateway-decide", args=[world.gateway.pk]),
        reverse("catalog:certificate-list"),
        reverse("catalog:certificate-detail", args=[world.certificate.pk]),
        reverse("catalog:participant-list"),
        reverse("catalog:participant-detail", args=[catalog.provider.pk]),
        reverse("catalog:participant-create"),
        reverse("catalog:agreement-create", args=[catalog.consumer.pk]),
        reverse("catalog:agreement-terminate", args=[world.agreement.pk]),
        reverse("catalog:subsystem-list"),
        reverse("catalog:service-list"),
        reverse("catalog:service-detail", args=[catalog.service.pk]),
        reverse("catalog:appendix-history", args=[catalog.service.pk]),
        reverse("catalog:group-list"),
        reverse("catalog:group-detail", args=[world.group.pk]),
        reverse("catalog:notice-list"),
        reverse("catalog:notice-create"),
        reverse("catalog:external-ca-list"),
        reverse("globalconf:overview"),
        reverse("accounts:profile"),
        reverse("accounts:two-factor"),
    ]


def build_world() -> World:
    """Every role, the records their pages show (a registered element with a 500-character
    name among them), and the pages each role uses most."""
    world = SimpleNamespace(
        catalog=catalog_world(), operator=OperatorFactory(), body=AuthorisedBodyUserFactory()
    )
    _registry_records(world)
    _catalog_records(world)
    publish_checkpoint()  # the history's "proof" links open a page only once it is published
    public = _public_pages(world)
    pages = {
        "anonymous": [*public, NOT_FOUND],
        "employee": _employee_pages(world, public),
        "operator": _operator_pages(world, public),
        "authorised_body": _body_pages(world, public),
        "tunduk_operator": _tunduk_operator_pages(world),
    }
    users = {
        "employee": world.catalog.provider_engineer,
        "operator": world.operator,
        "authorised_body": world.body,
        "tunduk_operator": world.catalog.tunduk_operator,
    }
    return World(users=users, pages=pages, long_element=world.long_element)
