"""An element's whole life over the API: create, submit, refuse, fix, register, change, decommission."""

from __future__ import annotations

import pytest

from tests.factories import COMPLETE_LISTS, complete_data, pdf
from tunduk.registry.choices import ElementStatus
from tunduk.workdays.deadlines import today_local

pytestmark = pytest.mark.django_db


def _open_submission(operator_api, element_id: int) -> dict:
    queue = operator_api.get("/submissions", status="open").json()["items"]
    return next(item for item in queue if item["element"] == element_id)


def test_full_life_of_an_element(api_as, public_api, employee, operator, authorised_body):
    """000 §20–29: the life of a record through the API, as the web pages would drive it."""
    owner, staff, body = api_as(employee), api_as(operator), api_as(authorised_body)

    created = owner.post("/elements", {"full_name": "Civil registry", "short_name": "CR"})
    assert created.status_code == 201, created.json()
    element_id = created.json()["id"]
    assert created.json()["status"] == ElementStatus.DRAFT
    assert created.json()["subject"] == employee.subject_id

    # 000 §20: an incomplete record is refused at submission with the missing fields.
    refused = owner.post(f"/elements/{element_id}/submit", {"allow_incomplete": False})
    assert refused.status_code == 400
    assert refused.json()["code"] == "incomplete_record"
    assert refused.json()["detail"]["missing"] == [
        2,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
    ]
    completeness = owner.get(f"/elements/{element_id}/completeness").json()
    assert not completeness["complete"]
    assert completeness["missing"][0] == {"number": 2, "label": "Type"}

    # Sent anyway, the operator may refuse it as incomplete (000 §23.2).
    sent = owner.post(f"/elements/{element_id}/submit", {"allow_incomplete": True})
    assert sent.status_code == 201, sent.json()
    queued = _open_submission(staff, element_id)
    assert queued["overdue"] is False
    assert queued["due_date"] >= today_local().isoformat()
    decision = staff.post(
        f"/submissions/{queued['id']}/refuse",
        {"ground": "incomplete", "explanation": "Fill in all fields."},
    )
    assert decision.status_code == 200, decision.json()
    assert decision.json()["status"] == "refused"
    assert decision.json()["decision"]["missing_fields"][:2] == [2, 4]

    # Fix: all fields, the lists, and both documents; then resubmit.
    fixed = owner.patch(f"/elements/{element_id}", {**complete_data(), **COMPLETE_LISTS})
    assert fixed.status_code == 200, fixed.json()
    assert fixed.json()["software"][0]["name"] == "PostgreSQL"
    for kind, name in (("technical", "tz.pdf"), ("commissioning_act", "act.pdf")):
        attached = owner.upload(
            f"/elements/{element_id}/documents", {"kind": kind, "title": name}, pdf(name)
        )
        assert attached.status_code == 201, attached.json()
    assert owner.get(f"/elements/{element_id}/completeness").json() == {
        "complete": True,
        "missing": [],
    }
    assert owner.post(f"/elements/{element_id}/submit").status_code == 201
    registered = staff.post(f"/submissions/{_open_submission(staff, element_id)['id']}/register")
    assert registered.status_code == 200, registered.json()
    assert registered.json()["decision"]["outcome"] == "registered"

    # 000 §22: the public now sees the element with its registration code.
    public = public_api.get(f"/elements/{element_id}").json()
    assert public["registration_code"].startswith("IS-")
    assert public["status"] == ElementStatus.REGISTERED

    # 000 §24: a change is submitted, accepted, and the history shows what changed.
    assert owner.patch(f"/elements/{element_id}", {"user_count": 400}).status_code == 200
    assert owner.post(f"/elements/{element_id}/submit").status_code == 201
    change = _open_submission(staff, element_id)
    assert change["kind"] == "change"
    accepted = staff.post(f"/submissions/{change['id']}/register")
    assert accepted.json()["decision"]["outcome"] == "accepted"
    versions = owner.get(f"/elements/{element_id}/versions", page_size=200).json()["items"]
    changed = [v for v in versions if "user_count" in v["changes"]]
    assert changed[-1]["changes"]["user_count"] == {"old": 350, "new": 400}

    # 000 §27–29: notice with the decision copy, agreement, recording.
    notice = owner.upload(
        f"/elements/{element_id}/decommissioning",
        {"decision_date": today_local().isoformat(), "decision_reference": "Order No. 9"},
        pdf("decision.pdf"),
    )
    assert notice.status_code == 201, notice.json()
    notice_id = notice.json()["id"]
    agreed = body.post(f"/decommissioning-notices/{notice_id}/agree", {"agree": True})
    assert agreed.status_code == 200, agreed.json()
    assert agreed.json()["status"] == "agreed"
    recorded = staff.post(f"/decommissioning-notices/{notice_id}/record")
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == "recorded"

    # Nothing is erased: the decommissioned element stays readable by everyone.
    final = public_api.get(f"/elements/{element_id}").json()
    assert final["status"] == ElementStatus.DECOMMISSIONED
    assert final["decommissioned_at"] is not None


def test_submitting_twice_is_a_conflict(api_as, employee):
    """000 §21: a record awaiting review cannot be submitted again (409)."""
    owner = api_as(employee)
    element_id = owner.post("/elements", {"full_name": "Twice"}).json()["id"]
    assert (
        owner.post(f"/elements/{element_id}/submit", {"allow_incomplete": True}).status_code == 201
    )
    again = owner.post(f"/elements/{element_id}/submit", {"allow_incomplete": True})
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_state"


def test_not_agreeing_returns_the_element_to_registered(
    api_as, employee, operator, authorised_body
):
    """000 §27: without the authorised body's agreement the element stays registered."""
    from tests.factories import make_registered

    element = make_registered(employee, operator)
    notice = api_as(employee).upload(
        f"/elements/{element.pk}/decommissioning",
        {"decision_date": today_local().isoformat(), "decision_reference": "No. 1"},
        pdf("decision.pdf"),
    )
    body = api_as(authorised_body)
    no_comment = body.post(
        f"/decommissioning-notices/{notice.json()['id']}/agree", {"agree": False}
    )
    assert no_comment.status_code == 400
    assert no_comment.json()["field"] == "comment"
    refused = body.post(
        f"/decommissioning-notices/{notice.json()['id']}/agree",
        {"agree": False, "comment": "The system is still used."},
    )
    assert refused.json()["status"] == "not_agreed"
    assert api_as(employee).get(f"/elements/{element.pk}").json()["status"] == "registered"
