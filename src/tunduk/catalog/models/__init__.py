"""Catalog models, one module per concept; import them from here."""

from tunduk.catalog.models.access import AccessRequest, Grant, Group, GroupMembership
from tunduk.catalog.models.agreements import Agreement
from tunduk.catalog.models.authorities import ExternalCertificateAuthority
from tunduk.catalog.models.configuration import CertificateRevocationList, ConfigurationVersion
from tunduk.catalog.models.gateways import Certificate, Gateway, GatewayStatusReport
from tunduk.catalog.models.notices import Notice
from tunduk.catalog.models.participants import Participant, ParticipantStatusChange
from tunduk.catalog.models.recommendations import Recommendation
from tunduk.catalog.models.services import AppendixVersion, Endpoint, Service, SharedField
from tunduk.catalog.models.systems import Subsystem

__all__ = [
    "AccessRequest",
    "Agreement",
    "AppendixVersion",
    "Certificate",
    "CertificateRevocationList",
    "ConfigurationVersion",
    "Endpoint",
    "ExternalCertificateAuthority",
    "Gateway",
    "GatewayStatusReport",
    "Grant",
    "Group",
    "GroupMembership",
    "Notice",
    "Participant",
    "ParticipantStatusChange",
    "Recommendation",
    "Service",
    "SharedField",
    "Subsystem",
]
