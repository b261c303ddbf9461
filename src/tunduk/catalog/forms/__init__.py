"""Forms of the Catalog's pages, one module per area; services do the writing and validating.

``participants``  registering a participant, status changes, notices, groups
``systems``       subsystems, services with their OpenAPI document and shared fields
``trust``         gateways and certificate requests, the operator's decisions
``access``        access requests, decisions on them and grants
``agreements``    connection agreements and SLAs, their termination
``uploads``       text that may be pasted or uploaded as a file (OpenAPI, CSR)
"""

from tunduk.catalog.forms.access import (
    AccessRequestForm,
    CommentForm,
    GrantForm,
    ReasonForm,
)
from tunduk.catalog.forms.agreements import AgreementForm, SlaForm, TerminationForm
from tunduk.catalog.forms.participants import (
    GroupForm,
    MembershipForm,
    NoticeForm,
    OperatorStatusChangeForm,
    ParticipantForm,
    StatusChangeForm,
)
from tunduk.catalog.forms.systems import ServiceForm, SharedFieldsFormSet, SubsystemForm
from tunduk.catalog.forms.trust import CertificateRequestForm, CertificateRevokeForm, GatewayForm

__all__ = [
    "AccessRequestForm",
    "AgreementForm",
    "CertificateRequestForm",
    "CertificateRevokeForm",
    "CommentForm",
    "GatewayForm",
    "GrantForm",
    "GroupForm",
    "MembershipForm",
    "NoticeForm",
    "OperatorStatusChangeForm",
    "ParticipantForm",
    "ReasonForm",
    "ServiceForm",
    "SharedFieldsFormSet",
    "SlaForm",
    "StatusChangeForm",
    "SubsystemForm",
    "TerminationForm",
]
