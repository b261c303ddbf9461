"""Subsystems and services with their OpenAPI document and shared fields (003 §3.2.2, appendix 1)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tunduk import limits
from tunduk.catalog.forms.uploads import PasteOrUploadForm
from tunduk.catalog.models import Participant, Service
from tunduk.registry.models import Element


class ElementChoiceField(forms.ModelChoiceField[Element]):
    """Elements shown with their registration code, type and status."""

    def label_from_instance(self, obj: Element) -> str:
        code = obj.registration_code or "—"
        return f"{obj.full_name} ({code}; {obj.get_element_type_display()}; {obj.get_status_display()})"


class SubsystemForm(forms.Form):
    """An information system of the subject joins the exchange as a subsystem.

    Every element of the subject is offered; the service says why one cannot join
    (not registered, not an information system), which is clearer than a missing option.
    """

    subsystem_code = forms.CharField(label=_("Subsystem code"), max_length=255)
    name = forms.CharField(label=_("Name"), max_length=300)
    element = ElementChoiceField(
        label=_("Registry element (an information system registered in the Registry)"),
        queryset=Element.objects.none(),
    )

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["element"]
        assert isinstance(field, ElementChoiceField)
        field.queryset = Element.objects.filter(
            subject_id=participant.subject_id, subsystem__isnull=True
        ).order_by("full_name")


class ServiceForm(PasteOrUploadForm):
    """A REST service: code, title, backend URL, and its OpenAPI document pasted or uploaded."""

    text_field = "openapi_text"
    file_field = "openapi_file"

    service_code = forms.CharField(label=_("Service code"), max_length=255)
    # 000 §20 keeps names in the state language; the Russian one is optional.
    title = forms.CharField(label=_("Title in Kyrgyz"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=limits.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    backend_url = forms.CharField(
        label=_("Backend URL"),
        max_length=500,
        help_text=_("Where your gateway forwards the calls; never shown to other participants."),
    )
    openapi_text = forms.CharField(
        label=_("OpenAPI 3 document (JSON or YAML)"),
        required=False,
        max_length=limits.OPENAPI_DOCUMENT_BYTES,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    openapi_file = forms.FileField(label=_("…or upload the document"), required=False)

    def __init__(self, *args: Any, service: Service | None = None, **kwargs: Any) -> None:
        if service is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "service_code": service.service_code,
                "title": service.title,
                "title_ru": service.title_ru,
                "description": service.description,
                "backend_url": service.backend_url,
                "openapi_text": _dump(service.openapi_document),
            }
        super().__init__(*args, **kwargs)
        if service is not None:
            # The code is the service's identity: a new code would be a new service.
            self.fields["service_code"].disabled = True


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) if document else ""


class SharedFieldRowForm(forms.Form):
    """One field the service makes available to other participants (003 appendix 1)."""

    name = forms.CharField(label=_("Field"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    personal_data = forms.BooleanField(label=_("Personal data"), required=False)


# At most SHARED_FIELDS rows are built and validated, whatever TOTAL_FORMS claims.
_SharedFieldsBase = forms.formset_factory(
    SharedFieldRowForm,
    extra=1,
    can_delete=True,
    max_num=limits.SHARED_FIELDS,
    validate_max=True,
    absolute_max=limits.SHARED_FIELDS,
)


class SharedFieldsFormSet(_SharedFieldsBase):  # type: ignore[valid-type,misc]  # formset_factory builds the base class at run time
    """The editable list of shared fields; its prefix is ``shared_fields``."""

    prefix_name = "shared_fields"

    def __init__(self, data: Any = None, service: Service | None = None) -> None:
        initial = None
        if service is not None and data is None:
            initial = [
                {"name": f.name, "description": f.description, "personal_data": f.personal_data}
                for f in service.shared_fields.all()
            ]
        too_many = ngettext(
            "A service may share at most %(limit)d field.",
            "A service may share at most %(limit)d fields.",
            limits.SHARED_FIELDS,
        ) % {"limit": limits.SHARED_FIELDS}
        super().__init__(
            data,
            prefix=self.prefix_name,
            initial=initial,
            error_messages={"too_many_forms": too_many.replace("%", "%%")},
        )

    def rows(self) -> list[dict[str, Any]]:
        """The kept rows, in order, as ``save_service`` takes them."""
        return [
            {key: value for key, value in row.cleaned_data.items() if key != "DELETE"}
            for row in self.forms
            if getattr(row, "cleaned_data", None) and not row.cleaned_data.get("DELETE")
        ]
