"""The Registry's test data: subjects, PDF uploads, and elements built through the services."""

from __future__ import annotations

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from tunduk.accounts.models import User
from tunduk.registry import services
from tunduk.registry.choices import DocumentKind, ElementType, FinancingSource, SubjectKind
from tunduk.registry.models import Element, Subject

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "document.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    """A small valid PDF upload."""
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class SubjectFactory(factory.django.DjangoModelFactory):
    """An accounting subject (a state body by default)."""

    class Meta:
        model = Subject

    name = factory.Sequence(lambda n: f"Ministry of Digital Development No. {n}")
    short_name = factory.Sequence(lambda n: f"MDD{n}")
    kind = SubjectKind.STATE_BODY
    address = "Bishkek, Chui avenue 1"
    head_name = "A. Asanov"


def complete_data(**overrides: object) -> dict:
    """Values for every scalar field of 000 §20."""
    data = {
        "full_name": "Unified system of civil registration",
        "short_name": "USCR",
        "element_type": ElementType.INFORMATION_SYSTEM,
        "operated_by_owner": True,
        "purpose": "Registration of civil status acts",
        "legal_acts": "Government decree No. 200 of 11 April 2018",
        "responsible_unit": "IT department",
        "responsible_officials": "B. Bekov, head of IT",
        "architecture": "Three-tier web application",
        "location": "State data centre, Bishkek",
        "location_responsible": "IT department",
        "developer": "Infocom",
        "user_count": 350,
        "financing_source": FinancingSource.REPUBLICAN_BUDGET,
        "commissioning_act_reference": "Act No. 12 of 1 March 2024",
    }
    data.update(overrides)
    return data


COMPLETE_LISTS = {
    "software": [{"name": "PostgreSQL", "version": "15", "licence": "PostgreSQL"}],
    "resources": [{"full_name": "Register of civil status acts"}],
    "interactions": [{"resource_name": "Population register", "system_name": "GRS"}],
    "services": [{"name": "Birth certificate data", "recipients": "State bodies"}],
}


def make_element(employee: User, *, complete: bool = True, **overrides: object) -> Element:
    """A draft element of ``employee``'s subject; complete records carry both documents."""
    if complete:
        element = services.create_element(
            employee, employee.subject, complete_data(**overrides), COMPLETE_LISTS
        )
        services.attach_document(employee, element, DocumentKind.TECHNICAL, pdf("tz.pdf"))
        services.attach_document(employee, element, DocumentKind.COMMISSIONING_ACT, pdf("act.pdf"))
    else:
        data = {"full_name": "Incomplete system", "short_name": "INC", **overrides}
        element = services.create_element(employee, employee.subject, data)
    element.refresh_from_db()
    return element


def make_registered(employee: User, operator: User, **overrides: object) -> Element:
    """An element that the operator has registered."""
    element = make_element(employee, **overrides)
    submission = services.submit_element(employee, element)
    services.register(operator, submission)
    element.refresh_from_db()
    return element


def register_change(
    employee: User,
    operator: User,
    element: Element,
    data: dict,
    lists: dict | None = None,
) -> Element:
    """Propose a change of a registered element, submit it and have the operator accept it
    (000 §24): only then is it the registered, public record."""
    services.update_element(employee, element, data, lists)
    submission = services.submit_element(employee, element)
    services.register(operator, submission)
    element.refresh_from_db()
    return element


# What the public sends to apply for access (000 §16), with the subject's id added.
ACCESS_APPLICATION = {
    "subject_address": "Bishkek, Chui avenue 1",
    "element_full_name": "Electronic document flow",
    "element_short_name": "EDF",
    "element_type": "software",
    "employee_full_name": "Aida Asanova",
    "employee_position": "Head of IT",
    "employee_email": "a.asanova@gov.kg",
    "appointment_decision": "Order No. 14 of 2 May 2025",
}
