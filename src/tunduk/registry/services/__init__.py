"""Every write to the Registry goes through these services (views, API and tasks call them)."""

from tunduk.registry.services.applications import (
    forward_application,
    grant_application,
    reject_application,
    submit_application,
)
from tunduk.registry.services.decommissioning import (
    decide_decommissioning,
    notify_decommissioning,
    record_decommissioning,
)
from tunduk.registry.services.domains import add_state_domain, remove_state_domain
from tunduk.registry.services.elements import (
    attach_document,
    check_complete,
    create_element,
    submit_element,
    update_element,
)
from tunduk.registry.services.information_requests import answer, ask
from tunduk.registry.services.reviews import refuse, register

__all__ = [
    "add_state_domain",
    "answer",
    "ask",
    "attach_document",
    "check_complete",
    "create_element",
    "decide_decommissioning",
    "forward_application",
    "grant_application",
    "notify_decommissioning",
    "record_decommissioning",
    "refuse",
    "register",
    "reject_application",
    "remove_state_domain",
    "submit_application",
    "submit_element",
    "update_element",
]
