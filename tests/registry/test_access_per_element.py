"""Issue 10 (4): access is for the element applied for (000 §15–19).

The online access the operator grants covers the element the application names and the
elements the subject enters through it, not every element of the subject; the departmental
e-mail must be on a state domain the operator lists; the admin cannot make an employee.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ACCESS_APPLICATION,
    EmployeeFactory,
    UserFactory,
    make_element,
    make_registered,
)
from tunduk.accounts.choices import Role
from tunduk.accounts.models import User
from tunduk.core.errors import InvalidInput, NotPermitted
from tunduk.registry import services
from tunduk.registry.models import AccessApplication, AppliedElement, Element, StateDomain

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(employee):
    """Another authorised employee of the same subject, granted access for another element."""
    return EmployeeFactory(subject=employee.subject)


def _granted(subject, authorised_body, operator, **overrides) -> AccessApplication:
    application = services.submit_application(subject, {**ACCESS_APPLICATION, **overrides})
    services.forward_application(authorised_body, application)
    services.grant_application(operator, application)
    application.refresh_from_db()
    return application


def test_the_employee_edits_the_element_entered_through_the_access(employee) -> None:
    """000 §19: the element the employee enters is covered by the access granted."""
    element = make_element(employee, complete=False)
    assert element.entered_through.employee == employee
    services.update_element(employee, element, {"purpose": "Document flow"})
    element.refresh_from_db()
    assert element.purpose == "Document flow"


def test_access_to_one_element_does_not_reach_another_of_the_same_subject(
    employee, colleague
) -> None:
    """000 §15–19: an employee with access to element X cannot edit, document, submit or
    decommission element Y of the same subject, entered through a colleague's access."""
    make_element(employee, complete=False)
    theirs = make_element(colleague, complete=False, full_name="Colleague's system")

    with pytest.raises(NotPermitted):
        services.update_element(employee, theirs, {"purpose": "Rewritten by another"})
    with pytest.raises(NotPermitted):
        services.submit_element(employee, theirs, allow_incomplete=True)

    theirs.refresh_from_db()
    assert theirs.purpose == ""
    assert not theirs.submissions.exists()


def test_another_elements_edit_page_and_api_answer_403(
    client: Client, api_as, employee, colleague
) -> None:
    """000 §15–19: the same refusal on the page and through the API, nothing stored."""
    theirs = make_element(colleague, complete=False, full_name="Colleague's system")
    client.force_login(employee)

    assert client.get(reverse("registry:element-edit", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("registry:element-edit", args=[theirs.pk]), {}).status_code == 403
    patched = api_as(employee).patch(f"/elements/{theirs.pk}", {"purpose": "Rewritten"})
    assert patched.status_code == 403
    theirs.refresh_from_db()
    assert theirs.purpose == ""


def test_an_application_naming_an_existing_element_grants_access_to_it_only(
    employee, operator, authorised_body
) -> None:
    """000 §16, §19: an application that names an element already in the Registry gives the
    new employee access to that element, not to the subject's other elements."""
    named = make_registered(employee, operator, full_name="Named system")
    other = make_element(employee, complete=False, full_name="Other system")
    application = _granted(
        employee.subject,
        authorised_body,
        operator,
        element=named.pk,
        employee_email="new.employee@tax.gov.kg",
    )
    newcomer = application.employee

    services.update_element(newcomer, named, {"purpose": "Updated by the newcomer"})
    with pytest.raises(NotPermitted):
        services.update_element(newcomer, other, {"purpose": "Not theirs"})


def test_an_application_cannot_name_another_subjects_element(employee, operator) -> None:
    """000 §16: the element applied for must be the applying subject's own."""
    foreign = make_registered(EmployeeFactory(), operator)
    with pytest.raises(InvalidInput) as refused:
        services.submit_application(employee.subject, {**ACCESS_APPLICATION, "element": foreign.pk})
    assert refused.value.field == "element"
    assert not AppliedElement.objects.filter(element=foreign).exists()


def test_an_employee_without_a_granted_access_enters_nothing(subject) -> None:
    """000 §19: an employee account not granted through an application cannot enter elements."""
    ungranted = EmployeeFactory(subject=subject, granted=False)
    with pytest.raises(NotPermitted):
        services.create_element(ungranted, subject, {"full_name": "Shadow system"})
    assert not Element.objects.exists()


@pytest.mark.parametrize(
    "email",
    [
        "a.asanova@gov.kg.evil.com",
        "a.asanova@xgov.kg",
        "a.asanova@evil-gov.kg",
        "a.asanova@gmail.com",
        "a.asanova@gov.kg@evil.com",
    ],
)
def test_an_e_mail_off_the_state_domains_is_refused(subject, email: str) -> None:
    """000 §16, §19: a departmental e-mail on a look-alike domain is refused, naming the
    field and the rule; nothing is stored."""
    with pytest.raises(InvalidInput) as refused:
        services.submit_application(subject, {**ACCESS_APPLICATION, "employee_email": email})
    assert refused.value.field == "employee_email"
    assert "000 §16" in refused.value.message
    assert not AccessApplication.objects.exists()


@pytest.mark.parametrize("email", ["a.asanova@gov.kg", "a.asanova@Tax.Gov.KG"])
def test_an_e_mail_on_a_state_domain_or_its_subdomain_is_accepted(subject, email: str) -> None:
    """000 §16: gov.kg and its subdomains are on the operator's list."""
    application = services.submit_application(
        subject, {**ACCESS_APPLICATION, "employee_email": email}
    )
    assert application.pk is not None


def test_the_operator_lists_a_new_state_domain(subject) -> None:
    """000 §16: a domain the operator adds to the list is accepted from then on."""
    email = "a.asanova@parliament.kg"
    with pytest.raises(InvalidInput):
        services.submit_application(subject, {**ACCESS_APPLICATION, "employee_email": email})
    StateDomain.objects.create(domain=" Parliament.KG. ")
    assert services.submit_application(subject, {**ACCESS_APPLICATION, "employee_email": email})


def test_the_public_api_refuses_a_look_alike_domain(public_api, subject) -> None:
    """000 §16: the API answers 400 naming employee_email for a look-alike domain."""
    response = public_api.post(
        "/access-applications",
        {"subject": subject.pk, **ACCESS_APPLICATION, "employee_email": "x@gov.kg.evil.com"},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "employee_email"


def test_access_is_not_granted_once_the_domain_left_the_list(
    subject, operator, authorised_body
) -> None:
    """000 §19: the grant checks the list again; no account is made for an unlisted domain."""
    StateDomain.objects.create(domain="old-ministry.kg")
    application = services.submit_application(
        subject, {**ACCESS_APPLICATION, "employee_email": "a@old-ministry.kg"}
    )
    services.forward_application(authorised_body, application)
    StateDomain.objects.filter(domain="old-ministry.kg").delete()

    with pytest.raises(InvalidInput) as refused:
        services.grant_application(operator, application)

    assert refused.value.field == "employee_email"
    assert not User.objects.filter(email="a@old-ministry.kg").exists()


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_cannot_create_a_subject_employee(admin_client: Client, subject) -> None:
    """000 §15–19: a subject employee made in the admin would bypass the application."""
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "shadow@gov.kg",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
            "email": "shadow@gov.kg",
            "full_name": "Shadow",
            "position": "IT",
            "role": Role.SUBJECT_EMPLOYEE,
            "subject": subject.pk,
        },
    )
    assert response.status_code == 200
    assert "access application" in response.content.decode()
    assert not User.objects.filter(username="shadow@gov.kg").exists()


def test_the_admin_cannot_turn_a_user_into_a_subject_employee(
    admin_client: Client, subject
) -> None:
    """000 §15–19: changing another user's role to subject employee is refused as well."""
    user = UserFactory(authorised_body=True)
    change = reverse("admin:accounts_user_change", args=[user.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    data.update(
        {
            "role": Role.SUBJECT_EMPLOYEE,
            "subject": subject.pk,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)

    response = admin_client.post(change, data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["role"]
    user.refresh_from_db()
    assert user.role == Role.AUTHORISED_BODY
    assert user.subject is None


def test_the_operator_keeps_the_state_domains_on_a_page(client: Client, operator, subject) -> None:
    """000 §16, §19: the operator adds a domain (audited) and a malformed one is refused."""
    client.force_login(operator)
    url = reverse("registry:state-domain-list")

    assert client.post(url, {"domain": "Parliament.KG", "note": ""}).status_code == 302
    refused = client.post(url, {"domain": "not a domain", "note": ""})

    assert refused.status_code == 400
    assert "is not a domain name" in refused.content.decode()
    assert list(StateDomain.objects.values_list("domain", flat=True)) == ["gov.kg", "parliament.kg"]
    assert services.submit_application(
        subject, {**ACCESS_APPLICATION, "employee_email": "a@parliament.kg"}
    )


@pytest.mark.parametrize("role", ["authorised_body", "employee"])
def test_only_the_operator_changes_the_state_domains(client: Client, request, role: str) -> None:
    """000 §16, §19: another role cannot add or remove a state domain (403, nothing changes)."""
    client.force_login(request.getfixturevalue(role))
    gov = StateDomain.objects.get(domain="gov.kg")

    added = client.post(reverse("registry:state-domain-list"), {"domain": "evil.com"})
    removed = client.post(reverse("registry:state-domain-remove", args=[gov.pk]))

    assert added.status_code == 403
    assert removed.status_code == 403
    assert list(StateDomain.objects.values_list("domain", flat=True)) == ["gov.kg"]
