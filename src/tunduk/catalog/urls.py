"""The Tunduk Catalog's pages, under ``/catalog/`` (namespace ``catalog``).

public       participant-list, subsystem-list, service-list, service-detail, notice-list
operator     operator-home, participant-create, participant-detail, gateway-list,
             gateway-decide, certificate-list, group-list, group-detail, agreement-create
participant  participation, subsystem-create, service-create, service-edit, gateway-create,
             certificate-request, access-request-decide, grant-create, grant-revoke, leave,
             sla-create
both         certificate-detail, notice-create, agreement-terminate, agreement-document
"""

from django.urls import path

from tunduk.catalog.views import access, agreements, operator, participation, public, trust

app_name = "catalog"

urlpatterns = [
    path("", public.ParticipantListView.as_view(), name="participant-list"),
    path("subsystems/", public.SubsystemListView.as_view(), name="subsystem-list"),
    path("services/", public.ServiceListView.as_view(), name="service-list"),
    path("services/<int:pk>/", public.ServiceDetailView.as_view(), name="service-detail"),
    path("notices/", public.NoticeListView.as_view(), name="notice-list"),
    path("notices/new/", access.NoticeCreateView.as_view(), name="notice-create"),
    # The Tunduk operator
    path("operator/", operator.OperatorHomeView.as_view(), name="operator-home"),
    path("participants/new/", operator.ParticipantCreateView.as_view(), name="participant-create"),
    path(
        "participants/<int:pk>/",
        operator.ParticipantDetailView.as_view(),
        name="participant-detail",
    ),
    path(
        "participants/<int:pk>/agreements/new/",
        agreements.ConnectionAgreementCreateView.as_view(),
        name="agreement-create",
    ),
    path(
        "agreements/<int:pk>/terminate/",
        agreements.AgreementTerminateView.as_view(),
        name="agreement-terminate",
    ),
    path(
        "agreements/<int:pk>/document/",
        agreements.AgreementDocumentView.as_view(),
        name="agreement-document",
    ),
    path("gateways/", trust.GatewayQueueView.as_view(), name="gateway-list"),
    path("gateways/<int:pk>/", trust.GatewayDecisionView.as_view(), name="gateway-decide"),
    path("certificates/", trust.CertificateListView.as_view(), name="certificate-list"),
    path(
        "certificates/<int:pk>/", trust.CertificateDetailView.as_view(), name="certificate-detail"
    ),
    path("groups/", operator.GroupListView.as_view(), name="group-list"),
    path("groups/<int:pk>/", operator.GroupDetailView.as_view(), name="group-detail"),
    # A participant's engineers
    path("mine/", participation.ParticipationView.as_view(), name="participation"),
    path(
        "mine/subsystems/new/",
        participation.SubsystemCreateView.as_view(),
        name="subsystem-create",
    ),
    path(
        "mine/subsystems/<int:pk>/services/new/",
        participation.ServiceCreateView.as_view(),
        name="service-create",
    ),
    path(
        "mine/services/<int:pk>/edit/",
        participation.ServiceEditView.as_view(),
        name="service-edit",
    ),
    path(
        "mine/services/<int:pk>/grants/new/",
        access.GrantCreateView.as_view(),
        name="grant-create",
    ),
    path("mine/grants/<int:pk>/revoke/", access.GrantRevokeView.as_view(), name="grant-revoke"),
    path(
        "mine/access-requests/<int:pk>/",
        access.AccessRequestDecisionView.as_view(),
        name="access-request-decide",
    ),
    path("mine/gateways/new/", trust.GatewayCreateView.as_view(), name="gateway-create"),
    path(
        "mine/certificates/new/",
        trust.CertificateRequestView.as_view(),
        name="certificate-request",
    ),
    path("mine/agreements/new/", agreements.SlaCreateView.as_view(), name="sla-create"),
    path("mine/leave/", participation.LeaveView.as_view(), name="leave"),
]
