"""Issue 10 (1) and issue 11 (13): only registered data is public (000 §21–24).

An edit of a registered record is a proposed change: the public pages, the open-data
exports, the API and the Catalog keep the registered record until the operator accepts
the change; the subject and the staff see the proposal beside it, field by field; a
refused change never becomes public.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    EmployeeFactory,
    OperatorFactory,
    TundukOperatorFactory,
    make_participant,
    make_registered,
    pdf,
    register_change,
)
from tunduk.catalog.services import systems
from tunduk.core.errors import IncompleteRecord, InvalidInput
from tunduk.journaling.checkpoints import publish_checkpoint
from tunduk.journaling.verification import verify_registry
from tunduk.registry import services
from tunduk.registry.choices import DocumentKind, ElementStatus, ElementType, RefusalGround
from tunduk.registry.models import Element, ProposedChange
from tunduk.registry.proposals import element_proposal_numbers

pytestmark = pytest.mark.django_db

REGISTERED_NAME = "Unified system of civil registration"
PROPOSED_NAME = "Proposed civil registry platform"
PROPOSED_DEVELOPER = "Proposed Vendor LLC"


@pytest.fixture
def registered(employee, operator) -> Element:
    return make_registered(employee, operator)


@pytest.fixture
def proposed(registered, employee) -> Element:
    """A registered element whose employee has entered a change (not yet submitted)."""
    services.update_element(
        employee,
        registered,
        {"full_name": PROPOSED_NAME, "developer": PROPOSED_DEVELOPER},
        {"services": [{"name": "Proposed death certificate service", "recipients": "All"}]},
    )
    return registered


def _streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def public_views(client: Client, element: Element, public_api) -> dict[str, str]:
    """Everything the public reads about ``element``: pages, exports and API, as text."""
    return {
        "detail": client.get(
            reverse("registry:element-detail", args=[element.pk])
        ).content.decode(),
        "list": client.get(reverse("registry:element-list")).content.decode(),
        "history": client.get(
            reverse("registry:element-history", args=[element.pk])
        ).content.decode(),
        "csv": _streamed(client.get(reverse("registry:element-export-csv"))),
        "json": _streamed(client.get(reverse("registry:element-export-json"))),
        "api": public_api.get(f"/elements/{element.pk}").content.decode(),
        "api_list": public_api.get("/elements").content.decode(),
        "api_versions": public_api.get(f"/elements/{element.pk}/versions").content.decode(),
    }


def assert_only_registered_shown(views: dict[str, str]) -> None:
    for where, text in views.items():
        assert PROPOSED_NAME not in text, where
        assert PROPOSED_DEVELOPER not in text, where
        assert "Proposed death certificate service" not in text, where
    for where in ("detail", "list", "csv", "json", "api", "api_list"):
        assert REGISTERED_NAME in views[where], where


def test_000_21_public_sees_the_registered_record_while_a_change_is_pending(
    client: Client, public_api, proposed, employee
):
    """000 §21, §24: an entered change is not public; pages, exports and API show the
    registered record, before and after the change is submitted."""
    assert_only_registered_shown(public_views(client, proposed, public_api))
    services.submit_element(employee, proposed)
    assert_only_registered_shown(public_views(client, proposed, public_api))
    search = client.get(reverse("registry:element-list"), {"q": "Proposed civil"})
    assert PROPOSED_NAME not in search.content.decode()
    assert public_api.get("/elements", q="Proposed civil").json()["items"] == []


def test_000_23_a_refused_change_never_becomes_public(
    client: Client, public_api, proposed, employee, operator
):
    """000 §23: the operator refuses the change; the public never sees it, the subject
    keeps it to correct and submit again."""
    submission = services.submit_element(employee, proposed)
    services.refuse(operator, submission, RefusalGround.NO_RIGHT, "Signed by an outsider.")
    proposed.refresh_from_db()
    assert proposed.status == ElementStatus.CHANGE_REFUSED
    assert proposed.full_name == REGISTERED_NAME
    assert_only_registered_shown(public_views(client, proposed, public_api))
    client.force_login(employee)
    page = client.get(reverse("registry:element-detail", args=[proposed.pk])).content.decode()
    assert 'id="proposed-change"' in page and PROPOSED_NAME in page
    form = client.get(reverse("registry:element-edit", args=[proposed.pk])).content.decode()
    assert PROPOSED_NAME in form  # the employee corrects the refused proposal, not a blank


def test_000_24_an_accepted_change_becomes_the_registered_record(
    client: Client, public_api, proposed, employee, operator
):
    """000 §24: once accepted, the change is the registered, public record, and its
    history shows what changed; the code is kept."""
    code = proposed.registration_code
    submission = services.submit_element(employee, proposed)
    services.register(operator, submission)
    proposed.refresh_from_db()
    assert proposed.registration_code == code and proposed.full_name == PROPOSED_NAME
    views = public_views(client, proposed, public_api)
    for where in ("detail", "list", "csv", "json", "api", "api_list", "history"):
        assert PROPOSED_NAME in views[where], where
    assert "Proposed death certificate service" in views["api"]
    assert not ProposedChange.objects.filter(element=proposed, is_open=True).exists()


def test_000_21_api_and_exports_agree_with_the_page(client: Client, public_api, proposed):
    """000 §21: the page, the API and both exports give the same registered values."""
    api = public_api.get(f"/elements/{proposed.pk}").json()
    rows = json.loads(_streamed(client.get(reverse("registry:element-export-json"))))
    exported = next(row for row in rows if row["id"] == proposed.pk)
    page = client.get(reverse("registry:element-detail", args=[proposed.pk])).content.decode()
    for name in ("full_name", "developer"):
        assert api[name] == exported[name]
        assert api[name] in page
    assert [row["name"] for row in api["services"]] == exported["services"]
    versions = public_api.get(f"/elements/{proposed.pk}/versions").json()["items"]
    assert api["version"] == max(row["number"] for row in versions)
    assert api["version"] < proposed.versions.count()  # the proposal's states are not counted


def test_000_24_review_shows_the_proposal_beside_the_registered_record(
    client: Client, proposed, employee, operator
):
    """000 §24 (issue 11.13): the operator reviewing a change sees each of the 17 fields,
    registered beside proposed, and which ones changed."""
    submission = services.submit_element(employee, proposed)
    client.force_login(operator)
    page = client.get(reverse("registry:submission-review", args=[submission.pk]))
    content = page.content.decode()
    assert page.status_code == 200 and 'id="record-comparison"' in content
    assert content.count('class="compared-field') == 17
    for number in (1, 11, 14):
        assert f'class="compared-field changed" data-field="{number}"' in content
    assert 'class="compared-field" data-field="4"' in content  # unchanged purpose
    field_14 = content.split('data-field="14"')[1].split("</tr>")[0]
    assert field_14.index("Infocom") < field_14.index(PROPOSED_DEVELOPER)
    # Decided, the page still shows what was decided.
    services.register(operator, submission)
    content = client.get(reverse("registry:submission-review", args=[submission.pk]))
    assert 'class="compared-field changed" data-field="14"' in content.content.decode()


def test_000_22_the_operator_checks_the_proposed_record(proposed, employee, operator):
    """000 §22–23: completeness is checked on the proposed record, not the registered one."""
    services.update_element(employee, proposed, {"legal_acts": ""})
    with pytest.raises(IncompleteRecord):
        services.submit_element(employee, proposed)
    submission = services.submit_element(employee, proposed, allow_incomplete=True)
    with pytest.raises(IncompleteRecord):
        services.register(operator, submission)
    services.refuse(operator, submission, RefusalGround.INCOMPLETE, "Field 5 was emptied.")
    proposed.refresh_from_db()
    assert proposed.legal_acts  # the registered record keeps field 5


def test_000_24_edits_accumulate_in_one_proposal(client: Client, proposed, employee):
    """000 §24: a second edit starts from the proposal; the form shows the proposed values."""
    services.update_element(employee, proposed, {"user_count": 999})
    change = ProposedChange.objects.get(element=proposed, is_open=True)
    assert change.record["full_name"] == PROPOSED_NAME and change.record["user_count"] == 999
    client.force_login(employee)
    form = client.get(reverse("registry:element-edit", args=[proposed.pk])).content.decode()
    assert PROPOSED_NAME in form and 'id="proposal-notice"' in form
    proposed.refresh_from_db()
    assert proposed.user_count == 350


def test_000_24_invalid_edit_of_a_registered_record_stores_nothing(proposed, employee):
    """Bad input to a change is refused naming the field; the proposal is not half-written."""
    before = ProposedChange.objects.get(element=proposed, is_open=True).record
    versions = proposed.versions.count()
    with pytest.raises(InvalidInput) as error:
        services.update_element(employee, proposed, {"element_type": "spaceship"})
    assert error.value.field == "element_type"
    assert ProposedChange.objects.get(element=proposed, is_open=True).record == before
    assert proposed.versions.count() == versions


def test_000_21_a_document_of_a_change_is_public_only_once_accepted(
    public_api, registered, employee, operator
):
    """000 §20.17, §21: a new commissioning act attached with a change is not public
    until the change is accepted."""
    services.attach_document(
        employee, registered, DocumentKind.COMMISSIONING_ACT, pdf("new-act.pdf"), "New act"
    )
    listed = public_api.get(f"/elements/{registered.pk}/documents").json()
    assert "New act" not in [doc["title"] for doc in listed]
    assert "New act" not in public_api.get(f"/elements/{registered.pk}").content.decode()
    register_change(employee, operator, registered, {})
    listed = public_api.get(f"/elements/{registered.pk}/documents").json()
    assert "New act" in [doc["title"] for doc in listed]


def test_000_21_the_catalog_reads_the_registered_type():
    """000 §21: the Catalog links a subsystem to the registered record; a proposed type
    change does not count until accepted."""
    participant, engineer = make_participant(TundukOperatorFactory())
    element = make_registered(engineer, OperatorFactory(), element_type=ElementType.SOFTWARE)
    services.update_element(engineer, element, {"element_type": ElementType.INFORMATION_SYSTEM})
    element.refresh_from_db()
    assert element.element_type == ElementType.SOFTWARE
    with pytest.raises(InvalidInput):
        systems.register_subsystem(engineer, participant, "edf", "EDF", element)
    register_change(engineer, OperatorFactory(), element, {})
    assert systems.register_subsystem(engineer, participant, "edf", "EDF", element).pk


def test_another_subjects_employee_cannot_see_a_pending_change(client: Client, api_as, proposed):
    """Attacker: an employee of another subject reads the registered record only."""
    outsider = EmployeeFactory()
    client.force_login(outsider)
    page = client.get(reverse("registry:element-detail", args=[proposed.pk])).content.decode()
    history = client.get(reverse("registry:element-history", args=[proposed.pk]))
    assert PROPOSED_NAME not in page and 'id="proposed-change"' not in page
    assert PROPOSED_NAME not in history.content.decode()
    api = api_as(outsider)
    assert api.get(f"/elements/{proposed.pk}/proposed-change").status_code == 404
    assert PROPOSED_NAME not in api.get(f"/elements/{proposed.pk}/versions").content.decode()
    assert PROPOSED_NAME not in api.get(f"/elements/{proposed.pk}").content.decode()


def test_the_public_cannot_reach_the_proposal_by_id(public_api, proposed, employee, api_as):
    """Attacker: the proposal answers 404 to the public exactly like an unused id; its
    versions are not listed; the owner reads it."""
    response = public_api.get(f"/elements/{proposed.pk}/proposed-change")
    assert response.status_code == 404
    assert response.json() == public_api.get("/elements/999999/proposed-change").json()
    numbers = {
        row["number"] for row in public_api.get(f"/elements/{proposed.pk}/versions").json()["items"]
    }
    hidden = element_proposal_numbers(proposed)
    assert hidden and not numbers & hidden
    completeness = public_api.get(f"/elements/{proposed.pk}/completeness").json()
    assert completeness["complete"] is True
    owner = api_as(employee).get(f"/elements/{proposed.pk}/proposed-change")
    assert owner.status_code == 200
    body = owner.json()
    assert body["proposed"]["full_name"] == PROPOSED_NAME
    assert body["changes"]["full_name"] == {"old": REGISTERED_NAME, "new": PROPOSED_NAME}


def test_staff_see_the_pending_change_on_the_element_page(
    client: Client, proposed, authorised_body
):
    """000 §24: the authorised body sees the proposed change beside the registered record."""
    client.force_login(authorised_body)
    page = client.get(reverse("registry:element-detail", args=[proposed.pk])).content.decode()
    assert 'id="proposed-change"' in page and PROPOSED_NAME in page
    assert page.index('id="proposed-change"') < page.index('id="record"')


def test_proposed_changes_keep_the_journal_verifiable(proposed, employee, operator):
    """Issue #3 with 000 §24: proposing, attaching, refusing and accepting a change rewrite
    no journaled row; the journal and every row it covers still verify."""
    services.attach_document(employee, proposed, DocumentKind.TECHNICAL, pdf("v2.pdf"), "v2")
    submission = services.submit_element(employee, proposed)
    services.refuse(operator, submission, RefusalGround.NO_RIGHT, "Wrong signatory.")
    publish_checkpoint()
    assert verify_registry().ok
    register_change(employee, operator, proposed, {"user_count": 500})
    publish_checkpoint()
    assert verify_registry().ok


def test_attacker_rewriting_the_registered_record_during_a_change_is_detected(proposed, employee):
    """Attacker: the registered record quietly given the proposal's name, while the change
    is pending, no longer matches its journaled version."""
    publish_checkpoint()
    Element.objects.filter(pk=proposed.pk).update(full_name=PROPOSED_NAME)
    result = verify_registry()
    assert not result.ok
    assert any(f"element {proposed.pk} differs" in str(failure) for failure in result.rows)


def test_attacker_listing_a_registered_document_as_proposed_is_detected(registered):
    """Attacker: hiding the registered commissioning act by naming it in a change's added
    documents makes the registered record differ from its journaled version."""
    act = registered.documents.get(kind=DocumentKind.COMMISSIONING_ACT)
    ProposedChange.objects.create(
        element=registered,
        record={},
        added_documents=[act.pk],
        created_by=registered.created_by,
    )
    publish_checkpoint()
    rows = verify_registry().rows
    assert any(f"element {registered.pk} differs" in str(failure) for failure in rows)
