"""Helpers for the Catalog page tests: signed-in clients and the POST data of the forms."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.factories import OPENAPI_YAML, SHARED_FIELDS
from tunduk.catalog.models import Service, Subsystem
from tunduk.catalog.services import systems


def signed_in(user: Any) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def service_post(fields: list[str] | None = None, **overrides: str) -> dict[str, str]:
    """The service form with its shared-fields list (``shared_fields-N-name``)."""
    names = ["child_name", "birth_date"] if fields is None else fields
    data = {
        "service_code": "birth-records",
        "title": "Birth records",
        "description": "Records of births",
        "backend_url": "https://births.internal/api",
        "openapi_text": OPENAPI_YAML,
        "action": "save",
        **management("shared_fields", len(names)),
    }
    for index, name in enumerate(names):
        data[f"shared_fields-{index}-name"] = name
    data.update(overrides)
    return data


def describe_service(engineer: Any, subsystem: Subsystem, code: str = "birth-records") -> Service:
    """A described service of ``subsystem`` with two endpoints and two shared fields."""
    return systems.save_service(
        engineer,
        subsystem,
        service_code=code,
        title="Birth records",
        backend_url="https://births.internal/api",
        openapi_text=OPENAPI_YAML,
        shared_fields=SHARED_FIELDS,
    )
