"""A review decision as a printable page and a PDF (000 §21), readable only by those concerned."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import EmployeeFactory, SubjectFactory, make_element
from tunduk.registry import services
from tunduk.registry.choices import RefusalGround

pytestmark = pytest.mark.django_db

KYRGYZ_SUBJECT = "Кыргыз Республикасынын Санарип өнүктүрүү министрлиги"
KYRGYZ_ELEMENT = "Жарандык абалдын актыларын каттоонун бирдиктүү системасы"


def client_for(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def kyrgyz_employee():
    return EmployeeFactory(subject=SubjectFactory(name=KYRGYZ_SUBJECT))


def registered_decision(employee, operator):
    submission = services.submit_element(
        employee, make_element(employee, full_name=KYRGYZ_ELEMENT, short_name="ЖАКБС")
    )
    return services.register(operator, submission)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_registration_decision_pdf_carries_registration_data_in_kyrgyz_cyrillic_000_s21(
    kyrgyz_employee, operator
):
    """000 §21: the decision downloads as a PDF whose text holds the Kyrgyz Cyrillic names
    (ө, ү, ң rendered, not boxes), the registration code and the Kyrgyz outcome label."""
    decision = registered_decision(kyrgyz_employee, operator)
    response = client_for(kyrgyz_employee, "ky").get(
        reverse("registry:decision-pdf", args=[decision.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    assert "Санарип өнүктүрүү" in text
    assert "бирдиктүү системасы" in text
    assert "Катталган" in text  # the outcome "Registered" in Kyrgyz
    decision.submission.element.refresh_from_db()
    assert decision.submission.element.registration_code in text


def test_refusal_decision_page_states_ground_and_fields_to_complete(employee, operator):
    """000 §23: the printable refusal names the ground, the explanation and the missing fields."""
    submission = services.submit_element(
        employee, make_element(employee, complete=False), allow_incomplete=True
    )
    decision = services.refuse(
        operator, submission, RefusalGround.INCOMPLETE, "The act of commissioning is missing."
    )
    page = client_for(employee).get(reverse("registry:decision-detail", args=[decision.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The record is incomplete (000 §23.2)" in html
    assert "The act of commissioning is missing." in html
    assert 'id="decision-missing"' in html
    assert reverse("registry:decision-pdf", args=[decision.pk]) in html


@pytest.mark.parametrize("name", ["registry:decision-detail", "registry:decision-pdf"])
def test_another_subjects_employee_cannot_read_the_decision_by_id(employee, operator, name):
    """Attacker: an employee of another subject asking for the decision's id is refused (403),
    and the page shows none of the decision."""
    decision = registered_decision(employee, operator)
    attacker = client_for(EmployeeFactory(subject=SubjectFactory()))
    response = attacker.get(reverse(name, args=[decision.pk]))
    assert response.status_code == 403
    assert KYRGYZ_ELEMENT not in response.content.decode(errors="replace")


def test_public_cannot_download_a_decision(client, employee, operator):
    """The public is sent to sign in; no PDF leaves."""
    decision = registered_decision(employee, operator)
    response = client.get(reverse("registry:decision-pdf", args=[decision.pk]))
    assert response.status_code == 302
    assert response.get("Content-Type") != "application/pdf"
