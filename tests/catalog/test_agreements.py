"""Agreements of the Catalog: the connection agreement (seed 003) and SLAs (003 §2.5, §7.2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.catalog.pages import describe_service, signed_in
from tests.factories import PDF_BYTES, EmployeeFactory, pdf
from tunduk.catalog.choices import AgreementKind
from tunduk.catalog.models import Agreement
from tunduk.catalog.services.agreements import record_agreement, terminate_agreement
from tunduk.core.errors import InvalidInput, NotPermitted, TransitionError
from tunduk.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PDF = PDF_BYTES


def signed_copy(name: str = "agreement.pdf", content: bytes = PDF):
    """A signed copy as a user would upload it."""
    return pdf(name, content)


def connection(tunduk_operator, participant, **changes):
    """The operator records ``participant``'s connection agreement."""
    values = {
        "kind": AgreementKind.CONNECTION,
        "number": "T-1",
        "signed_on": timezone.localdate(),
        "document_upload": signed_copy(),
        **changes,
    }
    return record_agreement(tunduk_operator, participant, **values)


def sla(provider, consumer, **changes):
    """The provider's engineer records an SLA with the consumer."""
    participant, engineer, _ = provider
    values = {
        "kind": AgreementKind.SLA,
        "number": "SLA-7",
        "signed_on": timezone.localdate(),
        "document_upload": signed_copy(),
        "counterparty": consumer[0],
        **changes,
    }
    return record_agreement(engineer, participant, **values)


def test_operator_records_connection_agreement(tunduk_operator, provider):
    """003: the operator records the signed connection agreement with its signed copy."""
    agreement = connection(tunduk_operator, provider[0], valid_until=None)
    assert agreement.kind == AgreementKind.CONNECTION
    # The storage may add a suffix when an earlier test left a file at the same path.
    assert agreement.document.name.startswith(f"agreements/{agreement.pk}/{agreement.sha256}")
    assert agreement.original_name == "agreement.pdf"
    assert agreement.size == len(PDF)
    assert AuditEvent.objects.filter(name="catalog:agreement:recorded").exists()


def test_owner_records_sla_with_another_participant(provider, consumer):
    """003 §2.5: a service's owner records an SLA concluded with another participant."""
    service = describe_service(provider[1], provider[2])
    agreement = sla(provider, consumer, service=service)
    assert agreement.counterparty == consumer[0]
    assert agreement.service == service


def test_participant_cannot_record_connection_agreement(provider):
    """003: only the operator records a connection agreement."""
    with pytest.raises(NotPermitted):
        connection(provider[1], provider[0])


def test_operator_and_other_participants_cannot_record_sla(tunduk_operator, provider, consumer):
    """003 §2.5: an SLA is recorded by the service owner's own engineers only."""
    with pytest.raises(NotPermitted):
        record_agreement(
            consumer[1],
            provider[0],
            kind=AgreementKind.SLA,
            number="X",
            signed_on=timezone.localdate(),
            document_upload=signed_copy(),
            counterparty=consumer[0],
        )
    with pytest.raises(NotPermitted):
        record_agreement(
            tunduk_operator,
            provider[0],
            kind=AgreementKind.SLA,
            number="X",
            signed_on=timezone.localdate(),
            document_upload=signed_copy(),
            counterparty=consumer[0],
        )


def test_sla_needs_a_counterparty(provider, consumer):
    """003 §2.5: an SLA is concluded with another participant, who must be named."""
    with pytest.raises(InvalidInput) as error:
        sla(provider, consumer, counterparty=None)
    assert error.value.field == "counterparty"


def test_sla_covers_only_own_services(provider, consumer):
    """003 §2.5: an SLA covers a service of the owner, not another participant's."""
    foreign = describe_service(consumer[1], consumer[2], "benefit-records")
    with pytest.raises(InvalidInput) as error:
        sla(provider, consumer, service=foreign)
    assert error.value.field == "service"


def test_signing_date_cannot_be_in_the_future(tunduk_operator, provider):
    """003: an agreement is recorded once signed, so not with a future signing date."""
    with pytest.raises(InvalidInput) as error:
        connection(tunduk_operator, provider[0], signed_on=timezone.localdate() + timedelta(1))
    assert error.value.field == "signed_on"


def test_validity_ends_after_signing(tunduk_operator, provider):
    """003 §7.2: an agreement cannot end before it was signed."""
    today = timezone.localdate()
    with pytest.raises(InvalidInput) as error:
        connection(tunduk_operator, provider[0], valid_until=today - timedelta(1))
    assert error.value.field == "valid_until"


def test_signed_copy_must_be_an_accepted_document(tunduk_operator, provider):
    """003: the signed copy is a document (PDF, image, office file), checked by its content."""
    with pytest.raises(InvalidInput) as error:
        connection(tunduk_operator, provider[0], document_upload=signed_copy("a.exe", b"MZ"))
    assert error.value.field == "document"
    with pytest.raises(InvalidInput) as error:
        connection(tunduk_operator, provider[0], document_upload=signed_copy("a.pdf", b"MZxx"))
    assert error.value.field == "document"


def test_one_connection_agreement_in_force(tunduk_operator, provider):
    """003 §7.3: a participant has one connection agreement in force; a new one supersedes it."""
    first = Agreement.objects.get(participant=provider[0], kind=AgreementKind.CONNECTION)
    second = connection(tunduk_operator, provider[0], number="T-2")
    first.refresh_from_db()
    assert second.is_active and not first.is_active
    assert first.superseded_by == second


def test_termination_requires_reason_and_is_recorded(tunduk_operator, provider):
    """003 §7.2: termination is notified in writing with a reason; the agreement is kept."""
    agreement = connection(tunduk_operator, provider[0])
    with pytest.raises(InvalidInput) as error:
        terminate_agreement(tunduk_operator, agreement, "  ")
    assert error.value.field == "termination_reason"
    terminate_agreement(tunduk_operator, agreement, "Written notice of 1 March")
    agreement.refresh_from_db()
    assert agreement.terminated_at is not None
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    with pytest.raises(TransitionError):
        terminate_agreement(tunduk_operator, agreement, "again")


def test_only_owner_terminates_sla(provider, consumer):
    """003 §7.2: the SLA's owner records its termination; the counterparty cannot."""
    agreement = sla(provider, consumer)
    with pytest.raises(NotPermitted):
        terminate_agreement(consumer[1], agreement, "No longer needed")
    assert terminate_agreement(provider[1], agreement, "No longer needed").terminated_at


def test_signed_copy_downloads_for_parties_and_operator_only(tunduk_operator, provider, consumer):
    """003 §2.5: the parties and the operator download the signed copy; others get 404."""
    agreement = sla(provider, consumer)
    url = f"/catalog/agreements/{agreement.pk}/document/"
    for user in (provider[1], consumer[1], tunduk_operator):
        response = signed_in(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    assert signed_in(EmployeeFactory()).get(url).status_code == 404


def test_operator_records_connection_agreement_on_participant_page(tunduk_operator, provider):
    """003: the operator records the connection agreement from the participant's page."""
    client = signed_in(tunduk_operator)
    url = f"/catalog/participants/{provider[0].pk}/agreements/new/"
    response = client.post(
        url,
        {
            "number": "T-9",
            "signed_on": timezone.localdate().isoformat(),
            "document": signed_copy(),
            "action": "record",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/catalog/participants/{provider[0].pk}/")
    assert "T-9" in page.content.decode()
    assert signed_in(provider[1]).get(url).status_code == 403


def test_participation_page_lists_sla_for_both_parties(provider, consumer):
    """003 §2.5: an SLA shows on the owner's and on the counterparty's participation page."""
    client = signed_in(provider[1])
    response = client.post(
        "/catalog/mine/agreements/new/",
        {
            "counterparty": consumer[0].pk,
            "number": "SLA-42",
            "signed_on": timezone.localdate().isoformat(),
            "document": signed_copy(),
            "action": "record",
        },
    )
    assert response.status_code == 302
    for user in (provider[1], consumer[1]):
        assert "SLA-42" in signed_in(user).get("/catalog/mine/").content.decode()


def test_termination_page_refuses_without_reason(tunduk_operator, provider):
    """003 §7.2: the termination form asks for the reason and records it."""
    agreement = connection(tunduk_operator, provider[0])
    client = signed_in(tunduk_operator)
    url = f"/catalog/agreements/{agreement.pk}/terminate/"
    assert client.post(url, {"termination_reason": "", "action": "terminate"}).status_code == 400
    response = client.post(url, {"termination_reason": "Notice", "action": "terminate"})
    assert response.status_code == 302
    assert signed_in(EmployeeFactory()).get(url).status_code == 404


def test_signed_copy_is_served_as_its_detected_type(provider, consumer):
    """Issue 7 (7): a signed copy claimed as text/html is served as PDF with nosniff."""
    upload = pdf("agreement.pdf", PDF)
    upload.content_type = "text/html"
    agreement = sla(provider, consumer, document_upload=upload)
    assert agreement.content_type == "application/pdf"
    Agreement.objects.filter(pk=agreement.pk).update(content_type="text/html")
    response = signed_in(provider[1]).get(f"/catalog/agreements/{agreement.pk}/document/")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
