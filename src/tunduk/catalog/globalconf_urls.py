"""Global configuration URLs under /globalconf/."""

from django.urls import path

from tunduk.catalog import globalconf_views

app_name = "globalconf"
urlpatterns = [
    path("", globalconf_views.overview, name="overview"),
    path("configuration", globalconf_views.configuration, name="configuration"),
    path("anchor.json", globalconf_views.configuration_anchor, name="anchor"),
    path("ca.crl", globalconf_views.certificate_revocation_list, name="crl"),
    path("gateway-status", globalconf_views.gateway_status_report, name="gateway-status"),
]
