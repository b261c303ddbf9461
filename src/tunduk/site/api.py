"""The one ``NinjaAPI`` of the project, with its error handlers and the Registry's and
Catalog's routers; served under ``/api/`` by the root URLconf (``tunduk.urls``)."""

from __future__ import annotations

from ninja import NinjaAPI

from tunduk.api import errors
from tunduk.api.parser import BoundedJsonParser
from tunduk.catalog.api import ROUTERS as CATALOG_ROUTERS
from tunduk.registry.api import ROUTERS
from tunduk.workdays.api import router as workdays_router

DESCRIPTION = """\
The Registry of the state e-government infrastructure, for programs.

Authenticate with `Authorization: Bearer <token>` (create one on your profile page,
`/accounts/profile/`, or with `tunduk create_api_token <username>`). Reading public data needs no token; writing does,
and follows the same role and subject rules as the web pages. Errors are
`{"code", "message", "field", "detail"}` with the HTTP status of their cause.
"""

api = NinjaAPI(
    title="Tunduk Registry API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=BoundedJsonParser(),
)
errors.install(api)
for prefix, router in (*ROUTERS, *CATALOG_ROUTERS, ("/working-days", workdays_router)):
    api.add_router(prefix, router)
