"""API URLs; the OpenAPI document is served at /api/openapi.json."""

urlpatterns: list = []
