"""``/api/catalog/agreements``: connection agreements and SLAs (003 §2.5, §7.2).

Only the parties and the Tunduk operator see an agreement; to anyone else it does not exist.
"""

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from tunduk.api.auth import token_required
from tunduk.api.errors import responses
from tunduk.api.lookups import actor, get_or_404
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import PathId
from tunduk.catalog.api.agreement_schemas import AgreementIn, AgreementOut, TerminationIn
from tunduk.catalog.api.lookups import optional_reference, referenced
from tunduk.catalog.api.presenters import agreement_out
from tunduk.catalog.filters import AgreementFilter
from tunduk.catalog.models import Participant, Service
from tunduk.catalog.services import agreements as services
from tunduk.catalog.visibility import visible_agreements

router = Router(tags=["catalog: agreements"])


@router.get(
    "",
    response=responses({200: list[AgreementOut]}),
    auth=token_required,
    summary="List agreements",
)
@paginate(PagePagination)
def list_agreements(request: HttpRequest, filters: Query[AgreementFilter]) -> Paged:
    """Agreements the caller's participant is a party to; the operator sees all."""
    found = filters.apply(visible_agreements(actor(request)))
    return Paged(found, agreement_out)


@router.post(
    "",
    response=responses({201: AgreementOut}),
    auth=token_required,
    summary="Record an agreement",
)
def record_agreement(
    request: HttpRequest, form: Form[AgreementIn], document: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """The operator records a connection agreement, a service owner an SLA (003 §2.5);
    ``document`` is the signed copy (PDF, PNG, JPEG, DOCX, XLSX, ODT or ODS)."""
    agreement = services.record_agreement(
        actor(request),
        referenced(Participant.objects.all(), form.participant, "participant"),
        kind=form.kind,
        number=form.number,
        signed_on=form.signed_on,
        valid_until=form.valid_until,
        document_upload=document,
        counterparty=optional_reference(
            Participant.objects.all(), form.counterparty, "counterparty"
        ),
        service=optional_reference(
            Service.objects.select_related("subsystem"), form.service, "service"
        ),
        notes=form.notes,
    )
    return Status(201, agreement_out(visible_agreements(actor(request)).get(pk=agreement.pk)))


@router.post(
    "/{agreement_id}/terminate",
    response=responses({200: AgreementOut}),
    auth=token_required,
    summary="Terminate an agreement",
)
def terminate_agreement(
    request: HttpRequest, agreement_id: PathId, payload: TerminationIn
) -> dict[str, Any]:
    """Record a party's written notice of termination with its reason (003 §7.2)."""
    agreement = get_or_404(visible_agreements(actor(request)), agreement_id)
    services.terminate_agreement(actor(request), agreement, payload.reason, payload.effective_at)
    return agreement_out(visible_agreements(actor(request)).get(pk=agreement.pk))
