"""How much one request may carry: every size limit of the project, each in one place.

Models (``max_length`` and validators), forms (``max_length``, ``max_num`` on formsets),
the API schemas (``max_length`` on strings and lists), the services and the request
settings all read their numbers from here, so a limit is changed once and holds on
every path into the database (security review, issue 7 finding 5).

The numbers bound the worst case, not the usual one: a record with every list full and
every text at its limit still fits the request body limit and gives a version snapshot
of a few megabytes at most, written in well under a second.
"""

from __future__ import annotations

from datetime import date
from typing import Final

KIB: Final = 1024
MIB: Final = 1024 * KIB

# ---- texts (characters) -------------------------------------------------------------------
# A free text: a purpose, a reason, a comment, a description (about five printed pages).
LONG_TEXT: Final = 10_000
# A free text on one row of a list (the description of an information resource).
ROW_TEXT: Final = 2_000
# A PEM certificate or certificate signing request; RSA-8192 with extensions fits easily.
PEM_TEXT: Final = 16_384
# An OpenAPI document pasted, uploaded or sent as text or JSON.
OPENAPI_DOCUMENT_BYTES: Final = 2 * MIB

# ---- lists (rows) -------------------------------------------------------------------------
# Each of the structured lists of fields 8–11 of a record (000 §20).
ELEMENT_LIST_ROWS: Final = 200
# The shared fields of one service (003 appendix 1).
SHARED_FIELDS: Final = 200
# The endpoints (method and path) one service's OpenAPI document may declare.
SERVICE_ENDPOINTS: Final = 500
# Active grants of one service; each is a line of the signed global configuration.
SERVICE_GRANTS: Final = 2_000

# ---- request bodies -----------------------------------------------------------------------
# A request body without its uploaded files: JSON, or the fields of a form. The largest
# honest one, a record with every list full, is about 2 MB.
REQUEST_BODY_BYTES: Final = 5 * MIB
# An uploaded file is kept in memory up to this size, and streamed to a temporary file
# beyond it.
UPLOAD_IN_MEMORY_BYTES: Final = 2 * MIB + 512 * KIB
# Form fields in one request: the element form with its four full formsets is about 3,100.
REQUEST_FIELDS: Final = 4_000
# Files in one request: every form uploads at most one.
REQUEST_FILES: Final = 5
# An attached document (000 §20.12, §20.17, §28) or a signed agreement.
DOCUMENT_BYTES: Final = 20 * MIB
# A whole request with an upload: the document plus the other form fields.
UPLOAD_REQUEST_BYTES: Final = DOCUMENT_BYTES + REQUEST_BODY_BYTES
# How deeply a JSON body may nest; the deepest honest body (an OpenAPI document) is
# far shallower, and the parser's own recursion stays well clear of Python's limit.
JSON_DEPTH: Final = 64

# ---- dates --------------------------------------------------------------------------------
# Nothing the Registry records predates the Republic's independence (31 August 1991): a form,
# the API and the services refuse an earlier date alike.
EARLIEST_DATE: Final = date(1991, 1, 1)
