"""Registry models, one module per concept; import them from here."""

from tunduk.registry.models.applications import AccessApplication
from tunduk.registry.models.changes import ProposedChange
from tunduk.registry.models.decommissioning import DecommissioningNotice
from tunduk.registry.models.documents import Document
from tunduk.registry.models.elements import (
    Element,
    ElementListItem,
    InformationResource,
    Interaction,
    ProvidedService,
    SoftwareItem,
)
from tunduk.registry.models.history import ElementVersion
from tunduk.registry.models.information_requests import InformationRequest
from tunduk.registry.models.reviews import RegistrationCounter, ReviewDecision, Submission
from tunduk.registry.models.subjects import Subject

__all__ = [
    "AccessApplication",
    "DecommissioningNotice",
    "Document",
    "Element",
    "ElementListItem",
    "ElementVersion",
    "InformationRequest",
    "InformationResource",
    "Interaction",
    "ProposedChange",
    "ProvidedService",
    "RegistrationCounter",
    "ReviewDecision",
    "SoftwareItem",
    "Subject",
    "Submission",
]
