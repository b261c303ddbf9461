"""API URLs; the OpenAPI document is served at /api/openapi.json, the docs at /api/docs."""

from tunduk.api.instance import api

# The URL namespace is the API's own ("api"), which its docs pages reverse.
urlpatterns, _app_name, app_name = api.urls
