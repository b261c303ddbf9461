"""The Catalog's part of the OpenAPI document."""

from __future__ import annotations

from ninja import Schema

from tunduk.catalog.api import schemas as catalog_schemas
from tunduk.registry.api import schemas as registry_schemas
from tunduk.site.api import api


def _schema_names(module: object) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, Schema)
        and value.__module__ == getattr(module, "__name__", "")
    }


def test_catalog_schema_names_do_not_collide_with_the_registry():
    """API contract: one component per name; ninja would silently let one hide the other."""
    assert not _schema_names(catalog_schemas) & _schema_names(registry_schemas)


def test_catalog_operations_are_under_plural_hyphenated_paths():
    """API contract: every Catalog operation is under /api/catalog/ and documents its errors."""
    document = api.get_openapi_schema()
    paths = {path: item for path, item in document["paths"].items() if "/catalog/" in path}
    assert {path.split("/")[3] for path in paths} == {
        "participants",
        "subsystems",
        "services",
        "access-requests",
        "grants",
        "groups",
        "gateways",
        "certificates",
        "certificate-authorities",
        "notices",
        "agreements",
    }
    for path, item in paths.items():
        for method, operation in item.items():
            assert {400, 401, 403, 404, 422} <= {int(code) for code in operation["responses"]}, (
                method,
                path,
            )
