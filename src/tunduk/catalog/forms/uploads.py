"""Text a user may paste into a textarea or upload as a file: OpenAPI documents and CSRs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tunduk import limits

MAX_UPLOAD_BYTES = limits.OPENAPI_DOCUMENT_BYTES


class PasteOrUploadForm(forms.Form):
    """A form with one pasted-or-uploaded text; subclasses name the two fields."""

    text_field = ""
    file_field = ""
    text_required = False

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get(self.file_field)
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error(self.file_field, _("The file is larger than 2 MB."))
                return data
            try:
                data[self.text_field] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error(self.file_field, _("The file is not UTF-8 text."))
        if self.text_required and not data.get(self.text_field) and not self.errors:
            self.add_error(self.text_field, _("Paste the text or upload the file."))
        return data

    def text(self) -> str:
        """The pasted text, or the uploaded file's content when a file was sent."""
        return str(self.cleaned_data.get(self.text_field) or "")
