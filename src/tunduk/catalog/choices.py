"""Status values and kinds of the Catalog: one ``TextChoices`` per concept."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberClass(models.TextChoices):
    """Member classes of the Tunduk instance."""

    GOV = "GOV", _("Government body or institution")
    MUN = "MUN", _("Municipality")
    COM = "COM", _("Commercial organisation")
    NGO = "NGO", _("Non-governmental organisation")


class ParticipantStatus(models.TextChoices):
    # 003 §2.1, §7.3: registered in the Catalog, but no connection agreement in force yet.
    REGISTERED = "registered", _("Registered, awaiting the connection agreement")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended by the operator")  # 003 §4
    DISCONNECTED = "disconnected", _("Disconnected by the operator")  # 003 §4
    LEFT = "left", _("Left the exchange")  # 003 §4


class StatusChangeKind(models.TextChoices):
    ACTIVATE = "activate", _("Activation")  # 003 §2.1: the connection agreement is in force
    SUSPEND = "suspend", _("Suspension")
    REINSTATE = "reinstate", _("Reinstatement")
    DISCONNECT = "disconnect", _("Disconnection")
    LEAVE = "leave", _("Leaving the exchange")


class ServiceType(models.TextChoices):
    REST = "REST", _("REST")
    OPENAPI = "OPENAPI", _("REST described by OpenAPI 3")


class HttpMethod(models.TextChoices):
    GET = "GET", "GET"
    POST = "POST", "POST"
    PUT = "PUT", "PUT"
    PATCH = "PATCH", "PATCH"
    DELETE = "DELETE", "DELETE"
    HEAD = "HEAD", "HEAD"
    OPTIONS = "OPTIONS", "OPTIONS"
    ANY = "*", _("any method")


class GatewayStatus(models.TextChoices):
    REQUESTED = "requested", _("Registration requested")
    APPROVED = "approved", _("Approved by the operator")
    REFUSED = "refused", _("Refused")
    DISABLED = "disabled", _("Disabled")


class CertificateProfile(models.TextChoices):
    AUTHENTICATION = "authentication", _("Authentication (TLS between gateways)")
    SIGNING = "signing", _("Signing (messages of an information system)")


class CertificateStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    REVOKED = "revoked", _("Revoked")


class RevocationReason(models.TextChoices):
    """Why a certificate is revoked: the RFC 5280 reason codes a participant's CRL entry can carry.

    The values are the names of ``cryptography.x509.ReasonFlags`` members.
    """

    UNSPECIFIED = "unspecified", _("Unspecified")
    KEY_COMPROMISE = "key_compromise", _("Key compromised")
    AFFILIATION_CHANGED = "affiliation_changed", _("Owner's details changed")
    SUPERSEDED = "superseded", _("Replaced by a new certificate")
    CESSATION_OF_OPERATION = "cessation_of_operation", _("No longer used")


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the owner's decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class NoticeKind(models.TextChoices):
    """What participants report (003 §3.2.13) and what the operator publishes."""

    OUTAGE = "outage", _("Outage")
    MAINTENANCE = "maintenance", _("Planned maintenance")
    VIOLATION = "violation", _("Violation")
    ERROR = "error", _("Error in operation")
    INCIDENT = "incident", _("Incident")


class AgreementKind(models.TextChoices):
    CONNECTION = "connection", _("Connection agreement")  # 003, operator and owner
    SLA = "sla", _("Service-level agreement (SLA)")  # 003 §2.5, between participants
