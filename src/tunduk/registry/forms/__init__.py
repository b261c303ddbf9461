"""Forms of the Registry's pages, one module per area; services do the writing.

``elements``    the guided 17-field form and the list formsets of fields 8–11
``documents``   document upload and the decommissioning notice
``filters``     the public list's search, filters and ordering (shared by the exports)
``actions``     submit, answer an information request, apply for access

A service's ``RuleError`` is shown next to its field by ``tunduk.core.forms.show_error``.
"""

from tunduk.registry.forms.actions import (
    AccessApplicationForm,
    InformationRequestAnswerForm,
    SubmitForm,
)
from tunduk.registry.forms.documents import DecommissioningNoticeForm, DocumentUploadForm
from tunduk.registry.forms.elements import ElementForm, ListFormsets
from tunduk.registry.forms.filters import ElementFilterForm

__all__ = [
    "AccessApplicationForm",
    "DecommissioningNoticeForm",
    "DocumentUploadForm",
    "ElementFilterForm",
    "ElementForm",
    "InformationRequestAnswerForm",
    "ListFormsets",
    "SubmitForm",
]
