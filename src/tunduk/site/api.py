"""The one ``NinjaAPI`` of the project, with its error handlers and the Registry's and
Catalog's routers; served under ``/api/`` by the root URLconf (``tunduk.urls``)."""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

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
    # Swagger UI's deep links put a link inside each operation's toggle button, a control
    # inside a control that screen readers cannot reach (WCAG 4.1.2, axe's
    # nested-interactive); without them the path is plain text in the button. Its syntax
    # colouring paints numbers at 2.9:1 on the dark code background (WCAG 1.4.3): examples
    # are shown plain, light on dark. Other colours: static/tunduk/api-docs.css.
    docs=Swagger(settings={"deepLinking": False, "syntaxHighlight": False}),
    openapi_url="/openapi.json",
    parser=BoundedJsonParser(),
)
errors.install(api)
for prefix, router in (*ROUTERS, *CATALOG_ROUTERS, ("/working-days", workdays_router)):
    api.add_router(prefix, router)
