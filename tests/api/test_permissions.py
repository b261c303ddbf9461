"""Who may call what: tokens (401), roles and subjects (403, audited), and what the public sees."""

from __future__ import annotations

import pytest

from tests.factories import EmployeeFactory, make_element, make_registered
from tunduk.accounts.tokens import ApiToken
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_writing_without_a_token_is_401(public_api):
    """API: writes need a token; the 401 says how to send one."""
    response = public_api.post("/elements", {"full_name": "Anonymous system"})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "Bearer" in response.json()["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_token_is_401_even_on_public_reads(public_api):
    """API: an unknown token is refused, not silently treated as the public."""
    public_api.token = "tdk_not-a-real-token"
    response = public_api.get("/elements")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_malformed_authorization_header_is_401(public_api):
    """API: only the Bearer scheme is accepted."""
    response = public_api.client.get("/api/elements", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401


def test_a_revoked_token_stops_working(employee):
    """API: a revoked token is refused."""
    from tests.conftest import ApiClient

    token, raw = ApiToken.issue(employee, name="laptop")
    client = ApiClient(raw)
    assert client.get("/submissions").status_code == 200
    token.revoke()
    assert client.get("/submissions").status_code == 401


def test_another_subjects_employee_gets_403_and_it_is_audited(api_as, employee, operator):
    """000 §16–17: only the subject's own employees change its (public) elements; refusals are
    audited. Another subject's draft answers 404 instead (Issue 7 (7))."""
    element = make_registered(employee, operator)
    stranger = EmployeeFactory()
    response = api_as(stranger).patch(f"/elements/{element.pk}", {"purpose": "Taken over"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    denial = AuditEvent.objects.get(name=Event.ACCESS_DENIED, actor=stranger)
    assert denial.object_id == str(element.pk)
    element.refresh_from_db()
    assert element.purpose != "Taken over"


def test_an_employee_cannot_create_for_another_subject(api_as, employee):
    """000 §20: an employee enters data only for the own subject."""
    stranger = EmployeeFactory()
    response = api_as(employee).post(
        "/elements", {"full_name": "Foreign", "subject": stranger.subject_id}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(name=Event.ACCESS_DENIED, actor=employee).exists()


def test_an_employee_cannot_register(api_as, employee):
    """000 §21: only the operator registers; the employee's attempt is 403 and audited."""
    from tunduk.registry import services

    submission = services.submit_element(employee, make_element(employee))
    response = api_as(employee).post(f"/submissions/{submission.pk}/register")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(name=Event.ACCESS_DENIED, actor=employee).exists()


def test_only_staff_list_access_applications(api_as, employee, authorised_body):
    """000 §18: applications are read by the authorised body and the operator only."""
    denied = api_as(employee).get("/access-applications")
    assert denied.status_code == 403
    assert AuditEvent.objects.filter(name=Event.ACCESS_DENIED, actor=employee).exists()
    assert api_as(authorised_body).get("/access-applications").status_code == 200


def test_the_public_never_sees_drafts(public_api, employee, operator):
    """000 §22: only registered elements are public; a draft looks like it does not exist."""
    draft = make_element(employee, complete=False)
    registered = make_registered(employee, operator)
    listed = [item["id"] for item in public_api.get("/elements").json()["items"]]
    assert listed == [registered.pk]
    assert public_api.get(f"/elements/{draft.pk}").status_code == 404
    assert public_api.get(f"/elements/{draft.pk}/versions").status_code == 404


def test_the_owner_sees_its_drafts(api_as, employee):
    """The subject's own employee sees its drafts in the list and in full."""
    draft = make_element(employee, complete=False)
    owner = api_as(employee)
    assert [item["id"] for item in owner.get("/elements").json()["items"]] == [draft.pk]
    assert owner.get(f"/elements/{draft.pk}").json()["private_fields_shown"] is True


def test_public_get_hides_private_fields(api_as, public_api, employee, operator):
    """000 §20, 001 art. 13: fields 7, 8, 12 and 13 are not shown to the public."""
    element = make_registered(employee, operator)
    public = public_api.get(f"/elements/{element.pk}").json()
    assert public["private_fields_shown"] is False
    assert public["architecture"] is None
    assert public["location"] is None
    assert public["location_responsible"] is None
    assert public["software"] is None
    assert public["purpose"] == "Registration of civil status acts"
    assert public["resources"][0]["full_name"] == "Register of civil status acts"
    assert {doc["kind"] for doc in public["documents"]} == {"commissioning_act"}
    kinds = {doc["kind"] for doc in public_api.get(f"/elements/{element.pk}/documents").json()}
    assert kinds == {"commissioning_act"}

    owner = api_as(employee).get(f"/elements/{element.pk}").json()
    assert owner["architecture"] == "Three-tier web application"
    assert owner["software"][0]["name"] == "PostgreSQL"
    staff = api_as(operator).get(f"/elements/{element.pk}").json()
    assert staff["location"] == "State data centre, Bishkek"


def test_public_versions_hide_private_values_and_drafts(api_as, public_api, employee, operator):
    """000 §24: the public history starts at registration and withholds non-public fields."""
    element = make_registered(employee, operator)
    api_as(employee).patch(f"/elements/{element.pk}", {"architecture": "Microservices"})
    public = public_api.get(f"/elements/{element.pk}/versions").json()["items"]
    assert public[0]["status"] == "registered"
    assert all(version["actor"] is None for version in public)
    assert all("architecture" not in version["snapshot"] for version in public)
    assert all("architecture" not in version["changes"] for version in public)
    assert all(
        doc["kind"] == "commissioning_act"
        for version in public
        for doc in version["snapshot"]["documents"]
    )
    full = api_as(employee).get(f"/elements/{element.pk}/versions").json()["items"]
    assert full[0]["status"] == "draft"
    assert full[-1]["changes"]["architecture"] == {
        "old": "Three-tier web application",
        "new": "Microservices",
    }
    assert full[-1]["actor"] == str(employee)
