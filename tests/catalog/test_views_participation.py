"""A participant's engineers: subsystems, services, gateways, certificates, leaving (003 §3.2, §4)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.catalog.pages import describe_service, management, service_post, signed_in
from tests.factories import (
    OPENAPI_YAML,
    EmployeeFactory,
    OperatorFactory,
    csr_for,
    make_element,
    make_participant,
    make_registered,
)
from tests.hostile_documents import (
    BILLION_LAUGHS,
    SECRET_MARKER,
    document_with_ref,
    loopback_server,
    secret_file,
)
from tunduk.catalog.choices import CertificateStatus, GatewayStatus, ParticipantStatus
from tunduk.catalog.models import Certificate, Gateway, Notice, Service, Subsystem
from tunduk.catalog.prior_notice import PRIOR_NOTICE
from tunduk.catalog.services import participants
from tunduk.registry.choices import ElementType

pytestmark = pytest.mark.django_db

ENGINEER_PAGES = [
    ("participation", []),
    ("subsystem-create", []),
    ("gateway-create", []),
    ("certificate-request", []),
    ("leave", []),
]


@pytest.mark.parametrize(("name", "args"), ENGINEER_PAGES)
def test_engineer_pages_render_for_the_participants_engineers(provider, name, args):
    """003 §3.2: a participant's engineers (its subject's employees) open their pages."""
    assert signed_in(provider[1]).get(reverse(f"catalog:{name}", args=args)).status_code == 200


@pytest.mark.parametrize(("name", "args"), ENGINEER_PAGES)
def test_engineer_pages_refuse_others(tunduk_operator, name, args):
    """003 §3.1.1: employees of a subject that is not a participant, and other roles, get 403."""
    url = reverse(f"catalog:{name}", args=args)
    outsider = signed_in(EmployeeFactory()).get(url)
    assert outsider.status_code == 403
    assert "not a participant of Tunduk yet" in outsider.content.decode()
    assert signed_in(tunduk_operator).get(url).status_code == 403
    assert signed_in(OperatorFactory()).get(url).status_code == 403


def test_participation_page_lists_what_is_ours(provider):
    """003 §3.2.2: the page shows our identifier, subsystems, services and their backend URLs."""
    _, engineer, subsystem = provider
    describe_service(engineer, subsystem)
    html = signed_in(engineer).get(reverse("catalog:participation")).content.decode()
    assert 'id="participant-identifier">KG/GOV/70000001<' in html
    assert "KG/GOV/70000001/births/birth-records" in html
    assert "https://births.internal/api" in html
    assert 'id="participant-banner"' not in html


def test_subsystem_linked_to_a_registered_information_system(tunduk_operator):
    """003 §3.2.2: a registered information-system element of our subject becomes a subsystem."""
    _, engineer = make_participant(tunduk_operator, "70000005")
    element = make_registered(engineer, OperatorFactory(), full_name="Civil registry")
    response = signed_in(engineer).post(
        reverse("catalog:subsystem-create"),
        {
            "subsystem_code": "civil",
            "name": "Civil registry",
            "element": element.pk,
            "action": "register",
        },
    )
    assert response.status_code == 302
    subsystem = Subsystem.objects.get()
    assert (subsystem.element, str(subsystem.identifier)) == (element, "KG/GOV/70000005/civil")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda engineer: make_element(engineer), "must be registered in the Registry"),
        (
            lambda engineer: make_registered(
                engineer, OperatorFactory(), element_type=ElementType.DATA_CENTRE
            ),
            "Only an element of type “information system”",
        ),
    ],
    ids=["unregistered", "not-an-information-system"],
)
def test_subsystem_refused_for_unregistered_or_other_element(tunduk_operator, make, message):
    """003 §3.2.2: a draft element or one that is not an information system is refused, saying why."""
    _, engineer = make_participant(tunduk_operator, "70000005")
    element = make(engineer)
    response = signed_in(engineer).post(
        reverse("catalog:subsystem-create"),
        {"subsystem_code": "civil", "name": "Civil", "element": element.pk, "action": "register"},
    )
    assert response.status_code == 400
    assert 'id="errors-element"' in response.content.decode()
    assert message in response.content.decode()
    assert not Subsystem.objects.exists()


def test_service_saved_with_shared_fields_and_endpoints(provider):
    """003 §3.2.2, appendix 1: a service is saved with its shared fields; endpoints come from OpenAPI."""
    _, engineer, subsystem = provider
    client = signed_in(engineer)
    page = client.get(reverse("catalog:service-create", args=[subsystem.pk])).content.decode()
    assert 'id="service-form"' in page and 'id="shared_fields-add-row"' in page
    assert 'name="shared_fields-0-name"' in page
    response = client.post(
        reverse("catalog:service-create", args=[subsystem.pk]),
        service_post(["child_name", "birth_date"]),
    )
    assert response.status_code == 302
    service = Service.objects.get()
    assert list(service.shared_fields.values_list("name", flat=True)) == [
        "child_name",
        "birth_date",
    ]
    assert service.endpoints.count() == 2


def test_openapi_document_uploaded_as_a_file(provider):
    """003 §3.2.2: the OpenAPI document may be uploaded instead of pasted."""
    _, engineer, subsystem = provider
    data = service_post(openapi_text="")
    data["openapi_file"] = SimpleUploadedFile(
        "births.yaml", OPENAPI_YAML.encode(), "application/yaml"
    )
    response = signed_in(engineer).post(
        reverse("catalog:service-create", args=[subsystem.pk]), data
    )
    assert response.status_code == 302
    assert Service.objects.get().endpoints.count() == 2


def test_openapi_file_reference_refused_on_the_form(provider, tmp_path):
    """Issue 7 (1): a pasted or uploaded document with a file:// $ref is refused; the file stays unread."""
    _, engineer, subsystem = provider
    text = json.dumps(document_with_ref(secret_file(tmp_path).as_uri()))
    upload = service_post(openapi_text="")
    upload["openapi_file"] = SimpleUploadedFile("births.json", text.encode(), "application/json")
    for data in (service_post(openapi_text=text), upload):
        response = signed_in(engineer).post(
            reverse("catalog:service-create", args=[subsystem.pk]), data
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert 'id="errors-openapi_text"' in html
        assert "only references inside the document" in html
        assert SECRET_MARKER not in html
    assert not Service.objects.exists()


def test_openapi_http_reference_not_fetched_from_the_form(provider):
    """Issue 7 (1): a document with an http:// $ref is refused and no request leaves the server."""
    _, engineer, subsystem = provider
    with loopback_server() as server:
        text = json.dumps(document_with_ref(f"{server.url}/schema.json"))
        response = signed_in(engineer).post(
            reverse("catalog:service-create", args=[subsystem.pk]), service_post(openapi_text=text)
        )
        assert server.requests == []
    assert response.status_code == 400
    assert "only references inside the document" in response.content.decode()


def test_openapi_alias_bomb_refused_on_the_form(provider):
    """Issue 7 (1): a YAML billion-laughs document pasted in the form is refused, not expanded."""
    _, engineer, subsystem = provider
    response = signed_in(engineer).post(
        reverse("catalog:service-create", args=[subsystem.pk]),
        service_post(openapi_text=BILLION_LAUGHS),
    )
    assert response.status_code == 400
    assert "anchors or aliases" in response.content.decode()


def test_invalid_openapi_shows_which_part_is_wrong(provider):
    """003 §3.2.2: an invalid OpenAPI document is refused next to the document, naming the part."""
    _, engineer, subsystem = provider
    broken = OPENAPI_YAML.replace("{description: found}", "{description: 5}")
    response = signed_in(engineer).post(
        reverse("catalog:service-create", args=[subsystem.pk]), service_post(openapi_text=broken)
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="errors-openapi_text"' in html
    assert re.search(r"invalid at paths › /births/\{id\} › get › responses", html)
    assert not Service.objects.exists()


def test_shared_fields_are_required(provider):
    """003 appendix 1: a service lists the fields it makes available; an empty list is refused."""
    _, engineer, subsystem = provider
    response = signed_in(engineer).post(
        reverse("catalog:service-create", args=[subsystem.pk]), service_post([])
    )
    assert response.status_code == 400
    assert "List the fields this service makes available" in response.content.decode()
    assert not Service.objects.exists()


def test_service_edited_keeps_its_code(provider):
    """003 §3.2.2: the owner keeps the description current; the code cannot change."""
    _, engineer, subsystem = provider
    service = describe_service(engineer, subsystem)
    url = reverse("catalog:service-edit", args=[service.pk])
    page = signed_in(engineer).get(url).content.decode()
    assert 'value="child_name"' in page and "disabled" in page
    data = service_post(
        ["child_name", "birth_date", "birth_place"], service_code="other", title="Births"
    )
    data.update(management("shared_fields", 3, initial=2))
    assert signed_in(engineer).post(url, data).status_code == 302
    service.refresh_from_db()
    assert (service.service_code, service.title, service.shared_fields.count()) == (
        "birth-records",
        "Births",
        3,
    )


def test_other_participants_service_is_not_editable(provider, consumer):
    """003 §3.2.8: only the owner's engineers describe its services."""
    service = describe_service(provider[1], provider[2])
    assert (
        signed_in(consumer[1]).get(reverse("catalog:service-edit", args=[service.pk])).status_code
        == 404
    )


def test_gateway_registered_with_uploaded_csr(provider):
    """003 §3.2.1: the gateway is registered with its address and the CSR of its authentication certificate."""
    participant, engineer, _ = provider
    csr = csr_for(participant, server_code="gw1")
    response = signed_in(engineer).post(
        reverse("catalog:gateway-create"),
        {
            "server_code": "gw1",
            "address": "gw1.births.kg:5500",
            "csr_file": SimpleUploadedFile("gw1.csr", csr.encode()),
            "action": "register",
        },
    )
    assert response.status_code == 302
    gateway = Gateway.objects.get()
    assert gateway.status == GatewayStatus.REQUESTED and gateway.certificates.count() == 1


def test_gateway_with_wrong_csr_is_refused_next_to_the_csr(provider):
    """003 §3.2.1: a CSR naming another server is refused, shown next to the CSR."""
    participant, engineer, _ = provider
    response = signed_in(engineer).post(
        reverse("catalog:gateway-create"),
        {
            "server_code": "gw1",
            "address": "gw1.births.kg",
            "csr_text": csr_for(participant, server_code="other"),
            "action": "register",
        },
    )
    assert response.status_code == 400
    assert 'id="errors-csr_text"' in response.content.decode()
    assert not Gateway.objects.exists()


def test_signing_certificate_requested(provider):
    """003 §3.2.1: a signing certificate is requested by pasting the CSR."""
    participant, engineer, _ = provider
    response = signed_in(engineer).post(
        reverse("catalog:certificate-request"),
        {"csr_text": csr_for(participant), "action": "request"},
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert (certificate.profile, certificate.status) == ("signing", CertificateStatus.REQUESTED)


def test_outage_reported_to_the_operator(provider, tunduk_operator):
    """003 §3.2.13: an engineer reports an outage of a subsystem to the operator at once."""
    participant, engineer, subsystem = provider
    response = signed_in(engineer).post(
        reverse("catalog:notice-create"),
        {
            "kind": "outage",
            "subsystem": subsystem.pk,
            "title": "Births down",
            "description": "Database failure",
            "starts_at": "2024-05-01T09:00",
            "action": "save",
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert (notice.participant, notice.subsystem, notice.kind) == (participant, subsystem, "outage")


def test_participant_leaves_with_reasons(provider):
    """003 §4: a participant may leave, with reasons, after the prior notice; left empty,
    the time is the earliest the notice allows."""
    participant, engineer, _ = provider
    url = reverse("catalog:leave")
    assert signed_in(engineer).post(url, {"reason": "", "action": "leave"}).status_code == 400
    response = signed_in(engineer).post(url, {"reason": "Threat to our system", "action": "leave"})
    participant.refresh_from_db()
    assert response.status_code == 302 and participant.status == ParticipantStatus.ACTIVE
    change = participant.status_changes.get(kind="leave")
    assert change.effective_at >= change.notice_sent_at + PRIOR_NOTICE
    participant.status_changes.filter(pk=change.pk).update(effective_at=timezone.now())
    participants.apply_due_changes()
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.LEFT


def test_suspended_participant_sees_banner_and_refusals(provider, tunduk_operator):
    """003 §4: a suspended participant sees a banner; its actions are refused with the reason."""
    participant, engineer, subsystem = provider
    participants.change_status(
        tunduk_operator, participant, "suspend", "Unpatched gateway", security_incident=True
    )
    client = signed_in(engineer)
    assert (
        'id="participant-banner"' in client.get(reverse("catalog:participation")).content.decode()
    )
    response = client.post(reverse("catalog:service-create", args=[subsystem.pk]), service_post())
    assert response.status_code == 403
    assert (
        "is suspended by the operator and cannot do this until reinstated"
        in response.content.decode()
    )
    assert not Service.objects.exists()
