"""The Registry's REST API: routers per area, schemas, and what the public may see.

``ROUTERS`` lists ``(prefix, router)`` pairs that ``tunduk.api`` mounts under ``/api/``.
"""

from ninja import Router

from tunduk.registry.api import (
    applications,
    decommissioning,
    element_records,
    elements,
    information_requests,
    reviews,
    subjects,
)

ROUTERS: tuple[tuple[str, Router], ...] = (
    ("/subjects", subjects.router),
    ("/elements", elements.router),
    ("/elements", element_records.router),
    ("/elements", information_requests.element_router),
    ("/submissions", reviews.router),
    ("/access-applications", applications.router),
    ("/decommissioning-notices", decommissioning.router),
    ("/information-requests", information_requests.router),
)

__all__ = ["ROUTERS"]
