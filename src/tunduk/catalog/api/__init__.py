"""The Catalog's REST API under ``/api/catalog/``: routers per area, schemas, visibility.

``ROUTERS`` lists ``(prefix, router)`` pairs that ``tunduk.api`` mounts under ``/api/``.
"""

from ninja import Router

from tunduk.catalog.api import (
    access,
    agreements,
    appendix,
    authorities,
    gateways,
    groups,
    notices,
    participants,
    services,
    subsystems,
)

ROUTERS: tuple[tuple[str, Router], ...] = (
    ("/catalog/participants", participants.router),
    ("/catalog/subsystems", subsystems.router),
    ("/catalog/services", services.router),
    ("/catalog/access-requests", access.requests_router),
    ("/catalog/grants", access.grants_router),
    ("/catalog/groups", groups.router),
    ("/catalog/gateways", gateways.gateways_router),
    ("/catalog/certificates", gateways.certificates_router),
    ("/catalog/certificate-authorities", authorities.router),
    ("/catalog/notices", notices.router),
    ("/catalog/agreements", agreements.router),
)

# ``appendix`` adds its routes to the services router, ``authorities`` one to certificates'.
__all__ = ["ROUTERS", "appendix"]
