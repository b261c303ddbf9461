"""The Registry's pages: public, the subject employee's, and staff (operator, authorised body).

URL names (all in the ``registry`` namespace):

public      home, element-list, element-detail, element-history, element-export-csv,
            element-export-json, document-download, application-create, application-thanks
employee    dashboard, element-create, element-edit, document-upload, element-submit,
            decommissioning-create, information-request-answer
staff       submission-queue, submission-review, application-list, application-detail,
            decommissioning-list, decommissioning-detail, information-request-create,
            information-request-list
decisions   decision-detail, decision-pdf, application-status-lookup, application-status
"""

from tunduk.registry.urls import decisions, employee, public, staff

app_name = "registry"
urlpatterns = public.urlpatterns + employee.urlpatterns + staff.urlpatterns + decisions.urlpatterns
