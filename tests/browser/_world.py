"""One small world with every role and the records their pages show, for the design and
accessibility checks (tests/browser/test_design.py) and the screenshots
(docs/screenshots/take.py): the pages each role uses most, by URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tests.factories import (
    AuthorisedBodyUserFactory,
    OperatorFactory,
    catalog_world,
    make_element,
    make_registered,
)
from tunduk.registry import services

# 000 §20 field 1 allows 500 characters: one word that long must wrap, not stretch the page.
LONG_WORD = "Маалыматтык" * 45 + "системасы"[:5]


@dataclass
class World:
    """The users by role and the pages each of them opens most, in order of use."""

    users: dict[str, Any]
    pages: dict[str, list[str]] = field(default_factory=dict)
    long_element: Any = None


def build_world() -> World:
    """Every role, a registered element with a 500-character name, a submission to review,
    a draft, and the Catalog's provider and consumer."""
    catalog = catalog_world()
    employee = catalog.provider_engineer
    operator, body = OperatorFactory(), AuthorisedBodyUserFactory()
    registered = make_registered(employee, operator, full_name="Unified register of benefits")
    long_element = make_registered(employee, operator, full_name=LONG_WORD[:500])
    draft = make_element(employee, full_name="Electronic document flow")
    pending = make_element(employee, full_name="Population register")
    submission = services.submit_element(employee, pending)
    service = catalog.service
    public = [
        reverse("registry:home"),
        reverse("registry:element-list"),
        reverse("registry:element-detail", args=[registered.pk]),
        reverse("registry:element-history", args=[registered.pk]),
        reverse("registry:element-detail", args=[long_element.pk]),
        reverse("registry:application-create"),
        reverse("catalog:participant-list"),
        reverse("catalog:service-detail", args=[service.pk]),
        reverse("catalog:notice-list"),
        reverse("accounts:login"),
        "/no-such-page/",
        reverse("catalog:service-list"),
        reverse("catalog:subsystem-list"),
        reverse("globalconf:overview"),
        reverse("registry:application-status-lookup"),
        reverse("accounts:password-reset"),
    ]
    common = [reverse("accounts:profile"), reverse("notifications:inbox")]
    pages = {
        "anonymous": public,
        "employee": [
            reverse("registry:dashboard"),
            reverse("registry:element-create"),
            reverse("registry:element-edit", args=[draft.pk]),
            reverse("registry:document-upload", args=[draft.pk]),
            reverse("registry:element-submit", args=[draft.pk]),
            reverse("registry:decommissioning-create", args=[registered.pk]),
            reverse("catalog:participation"),
            reverse("accounts:token-create"),
            *common,
            *public[:5],
            *public[6:9],
        ],
        "operator": [
            reverse("registry:dashboard"),
            reverse("registry:submission-queue"),
            reverse("registry:submission-review", args=[submission.pk]),
            reverse("registry:application-list"),
            reverse("registry:decommissioning-list"),
            reverse("registry:information-request-list"),
            reverse("workdays:transfer-list"),
            *common,
            *public[:5],
            *public[6:9],
        ],
        "authorised_body": [
            reverse("registry:dashboard"),
            reverse("registry:application-list"),
            reverse("registry:decommissioning-list"),
            *common,
            *public[:5],
            *public[6:9],
        ],
        "tunduk_operator": [
            reverse("catalog:operator-home"),
            reverse("catalog:participant-create"),
            reverse("catalog:gateway-list"),
            reverse("catalog:certificate-list"),
            reverse("catalog:group-list"),
            *common,
            *public[:3],
            *public[6:9],
        ],
    }
    users = {
        "employee": employee,
        "operator": operator,
        "authorised_body": body,
        "tunduk_operator": catalog.tunduk_operator,
    }
    return World(users=users, pages=pages, long_element=long_element)
