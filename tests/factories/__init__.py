"""Test data for every app, in one package: ``from tests.factories import ...``.

``accounts``  one ``UserFactory`` with a trait per role, and a named factory for each role
``registry``  subjects, PDF uploads, complete or incomplete elements, registered ones
``catalog``   participants, subsystems, CSRs, OpenAPI text, a provider and a consumer
``workdays``  decreed day transfers
"""

from tests.factories.accounts import (
    PASSWORD,
    AuthorisedBodyUserFactory,
    EmployeeFactory,
    OperatorFactory,
    TundukOperatorFactory,
    UserFactory,
)
from tests.factories.catalog import (
    OPENAPI_OBJECT,
    OPENAPI_YAML,
    SHARED_FIELDS,
    CatalogWorld,
    catalog_world,
    csr_for,
    make_participant,
    make_subsystem,
    record_connection_agreement,
    registered_system,
)
from tests.factories.registry import (
    ACCESS_APPLICATION,
    COMPLETE_LISTS,
    PDF_BYTES,
    SubjectFactory,
    complete_data,
    make_element,
    make_registered,
    pdf,
    register_change,
)
from tests.factories.workdays import DayTransferFactory

__all__ = [
    "ACCESS_APPLICATION",
    "COMPLETE_LISTS",
    "OPENAPI_OBJECT",
    "OPENAPI_YAML",
    "PASSWORD",
    "PDF_BYTES",
    "SHARED_FIELDS",
    "AuthorisedBodyUserFactory",
    "CatalogWorld",
    "DayTransferFactory",
    "EmployeeFactory",
    "OperatorFactory",
    "SubjectFactory",
    "TundukOperatorFactory",
    "UserFactory",
    "catalog_world",
    "complete_data",
    "csr_for",
    "make_element",
    "make_participant",
    "make_registered",
    "make_subsystem",
    "pdf",
    "record_connection_agreement",
    "register_change",
    "registered_system",
]
