"""The guided element form (000 §20), document upload, and submission for review (000 §21)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from tunduk.core.errors import NotPermitted, RuleError
from tunduk.core.forms import show_error
from tunduk.registry import services
from tunduk.registry.fields import FIELDS_BY_NUMBER, RECORD_FIELDS, RecordField, missing_fields
from tunduk.registry.forms import (
    DocumentUploadForm,
    ElementForm,
    ListFormsets,
    SubmitForm,
)
from tunduk.registry.lifecycle import Action, allowed, next_status
from tunduk.registry.models import Element
from tunduk.registry.views.employee import EmployeeMixin, attempt
from tunduk.workdays.deadlines import Deadline, due_date

# What a new record starts with: the owner operates the element unless said otherwise.
NEW_RECORD = {"operated_by_owner": True}


def missing_list(numbers: list[int]) -> list[RecordField]:
    """The missing fields as ``RecordField`` objects, for numbered lists on the page."""
    return [FIELDS_BY_NUMBER[number] for number in numbers]


def editable_elements() -> QuerySet[Element]:
    """Elements with the subject, lists and documents the form shows, prefetched."""
    return Element.objects.select_related("subject").prefetch_related(
        "software", "resources", "interactions", "services", "documents"
    )


class ElementFormMixin(EmployeeMixin):
    """Renders the 17 numbered groups with their inputs, list formsets and documents."""

    template_name = "registry/element_form.html"

    def render_form(
        self,
        form: ElementForm,
        lists: ListFormsets,
        element: Element | None,
        missing: list[int],
        status: int = 200,
    ) -> HttpResponse:
        documents = list(element.documents.all()) if element else []
        groups = [
            {
                "field": field,
                "inputs": [form[name] for name in field.attributes],
                "formset": lists[field.list_name] if field.list_name else None,
                "documents": [d for d in documents if d.kind == field.document_kind],
                "missing": field.number in missing,
            }
            for field in RECORD_FIELDS
        ]
        context = {
            "element": element,
            "form": form,
            "groups": groups,
            "missing": missing_list(missing),
        }
        return render(self.request, self.template_name, context, status=status)


class ElementCreateView(ElementFormMixin, View):
    """A new draft record of the employee's subject; only the full name is needed to save."""

    action_name = "create_element"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(
            ElementForm(initial=NEW_RECORD), ListFormsets(), None, missing_fields(NEW_RECORD)
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form, lists = ElementForm(request.POST), ListFormsets(request.POST)
        element = None
        if form.is_valid() and lists.is_valid():
            subject = self.employee_subject()
            element = attempt(
                form,
                lambda: services.create_element(
                    request.user, subject, form.record_data(), lists.lists()
                ),
                formsets=lists.formsets,
            )
        if element is None:
            return self.render_form(form, lists, None, missing_fields(NEW_RECORD), status=400)
        messages.success(request, _("The draft record has been saved."))
        return redirect("registry:element-edit", pk=element.pk)


class ElementEditView(ElementFormMixin, View):
    """Change a draft, refused or registered record (000 §24); every state stays in history."""

    action_name = "update_element"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = self.owned_element(pk, editable_elements())
        if not allowed(element.status, Action.EDIT):
            return _not_now(request, element, Action.EDIT)
        return self.render_form(
            ElementForm(instance=element),
            ListFormsets(element=element),
            element,
            services.check_complete(element),
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = self.owned_element(pk, editable_elements())
        form, lists = ElementForm(request.POST, instance=element), ListFormsets(request.POST)
        saved = None
        if form.is_valid() and lists.is_valid():
            saved = attempt(
                form,
                lambda: services.update_element(
                    request.user, element, form.record_data(), lists.lists()
                ),
                formsets=lists.formsets,
            )
        if saved is None:
            current = editable_elements().get(pk=pk)
            return self.render_form(
                form, lists, current, services.check_complete(current), status=400
            )
        messages.success(request, _("The record has been saved."))
        return redirect("registry:element-edit", pk=element.pk)


def _not_now(request: HttpRequest, element: Element, action: Action) -> HttpResponse:
    """Back to the record with the life cycle's explanation of why the action is not open."""
    try:
        next_status(element.status, action)
    except RuleError as error:
        messages.error(request, error.message)
    return redirect("registry:element-detail", pk=element.pk)


class DocumentUploadView(EmployeeMixin, View):
    """Attach a technical document (field 12) or the act of commissioning (field 17)."""

    action_name = "attach_document"
    template_name = "registry/document_upload.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = self.owned_element(pk)
        if not allowed(element.status, Action.EDIT):
            return _not_now(request, element, Action.EDIT)
        return self.render(element, DocumentUploadForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = self.owned_element(pk)
        form = DocumentUploadForm(request.POST, request.FILES)
        document = None
        if form.is_valid():
            data = form.cleaned_data
            document = attempt(
                form,
                lambda: services.attach_document(
                    request.user, element, data["kind"], data["file"], data["title"]
                ),
            )
        if document is None:
            return self.render(element, form, status=400)
        messages.success(request, _("“%(title)s” has been attached.") % {"title": document.title})
        return redirect("registry:element-edit", pk=element.pk)

    def render(self, element: Element, form: DocumentUploadForm, status: int = 200) -> HttpResponse:
        context = {
            "element": element,
            "form": form,
            "documents": element.documents.all(),
        }
        return render(self.request, self.template_name, context, status=status)


class ElementSubmitView(EmployeeMixin, View):
    """The checklist of the 17 fields, then submission for review within 3 working days."""

    action_name = "submit"
    template_name = "registry/element_submit.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = self.owned_element(pk)
        return self.render(element, SubmitForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        element = self.owned_element(pk)
        form = SubmitForm(request.POST)
        if not form.is_valid():
            return self.render(element, form, status=400)
        try:
            submission = services.submit_element(
                request.user, element, allow_incomplete=form.cleaned_data["allow_incomplete"]
            )
        except NotPermitted:
            raise
        except RuleError as error:
            show_error(form, error)
            return self.render(element, form, status=error.status_code)
        messages.success(
            request,
            _("The record has been submitted. The operator registers it or refuses by %(due)s.")
            % {"due": date_format(submission.due_date)},
        )
        return redirect("registry:element-detail", pk=element.pk)

    def render(self, element: Element, form: SubmitForm, status: int = 200) -> HttpResponse:
        missing = services.check_complete(element)
        can_submit = allowed(element.status, Action.SUBMIT) or allowed(
            element.status, Action.SUBMIT_CHANGE
        )
        context = {
            "element": element,
            "form": form,
            "checklist": [(field, field.number not in missing) for field in RECORD_FIELDS],
            "missing": missing_list(missing),
            "can_submit": can_submit,
            "review_due": due_date(Deadline.ELEMENT_REVIEW, timezone.now()),
            "deadline": Deadline.ELEMENT_REVIEW,
        }
        return render(self.request, self.template_name, context, status=status)
