"""The guided element form (000 §20), document upload, and submission for review (000 §21)."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tunduk.core.actors import Actor
from tunduk.core.errors import RuleError
from tunduk.core.views import ServiceFormView
from tunduk.registry import services
from tunduk.registry.fields import FIELDS_BY_NUMBER, RECORD_FIELDS, RecordField, missing_fields
from tunduk.registry.forms import (
    DocumentUploadForm,
    ElementForm,
    ListFormsets,
    SubmitForm,
)
from tunduk.registry.forms.elements import record_values
from tunduk.registry.lifecycle import Action, allowed, next_status
from tunduk.registry.models import Document, Element, Submission
from tunduk.registry.proposals import editable_record
from tunduk.registry.snapshot import documents_of
from tunduk.registry.views.employee import EmployeePageMixin
from tunduk.workdays.deadlines import Deadline, due_date

# What a new record starts with: the owner operates the element unless said otherwise.
NEW_RECORD = {"operated_by_owner": True}

Obj = TypeVar("Obj")


def missing_list(numbers: list[int]) -> list[RecordField]:
    """The missing fields as ``RecordField`` objects, for numbered lists on the page."""
    return [FIELDS_BY_NUMBER[number] for number in numbers]


def editable_elements() -> QuerySet[Element]:
    """Elements with the subject, lists and documents the form shows, prefetched."""
    return Element.objects.select_related("subject").prefetch_related(
        "software", "resources", "interactions", "services", "documents"
    )


class ElementFormMixin(EmployeePageMixin, ServiceFormView[Obj, Element]):
    """Renders the 17 numbered groups with their inputs, list formsets and documents."""

    template_name = "registry/element_form.html"
    form_class = ElementForm
    lists: ListFormsets

    def get_formsets(self, bound: bool) -> dict[str, forms.BaseFormSet[forms.Form]]:
        """The lists of fields 8–11."""
        self.lists = self.list_formsets(bound)
        return self.lists.formsets

    def list_formsets(self, bound: bool) -> ListFormsets:
        """Fields 8–11, bound to the request's data on POST."""
        return ListFormsets(self.request.POST) if bound else ListFormsets()

    def shown_element(self, status: int) -> Element | None:
        """The element the page describes (read again after a refusal); none for a new one."""
        return None

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        element = self.shown_element(status)
        missing = services.check_complete(element) if element else missing_fields(NEW_RECORD)
        documents = documents_of(element) if element else []
        groups = [
            {
                "field": field,
                "inputs": [form[name] for name in field.attributes],
                "formset": self.lists[field.list_name] if field.list_name else None,
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

    def get_success_url(self, result: Element) -> str:
        return reverse("registry:element-edit", args=[result.pk])


class ElementCreateView(ElementFormMixin[None]):
    """A new draft record of the employee's subject; only the full name is needed to save."""

    action_name = "create_element"
    success_message = gettext_lazy("The draft record has been saved.")

    def get_form(self, bound: bool) -> forms.BaseForm:
        return ElementForm(self.request.POST) if bound else ElementForm(initial=NEW_RECORD)

    def service(self, actor: Actor, obj: None, data: dict[str, Any]) -> Element:
        return services.create_element(
            actor, self.employee_subject(), record_values(data), self.lists.lists()
        )


class ElementEditView(ElementFormMixin[Element]):
    """Change a draft or refused record, or propose a change of a registered one (000 §24);
    every state stays in history, and a change is public only once accepted (000 §21)."""

    action_name = "update_element"
    success_message = gettext_lazy("The record has been saved.")

    def get_object(self) -> Element:
        return self.owned_element(self.kwargs["pk"], editable_elements())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The record's form, if its state lets it be changed now."""
        self.object = self.get_object()
        if not allowed(self.object.status, Action.EDIT):
            return _not_now(request, self.object, Action.EDIT)
        return self.show_form()

    def get_form(self, bound: bool) -> forms.BaseForm:
        # The form validates and cleans only; the instance gives the values it starts from.
        record = editable_record(self.object)
        if bound:
            return ElementForm(self.request.POST, instance=record)
        return ElementForm(instance=record)

    def list_formsets(self, bound: bool) -> ListFormsets:
        if bound:
            return ListFormsets(self.request.POST)
        return ListFormsets(element=editable_record(self.object))

    def shown_element(self, status: int) -> Element:
        """The record being edited: a registered element's proposed change, if any."""
        if status == 200:
            return editable_record(self.object)
        return editable_record(editable_elements().get(pk=self.object.pk))

    def service(self, actor: Actor, obj: Element, data: dict[str, Any]) -> Element:
        return services.update_element(actor, obj, record_values(data), self.lists.lists())


def _not_now(request: HttpRequest, element: Element, action: Action) -> HttpResponse:
    """Back to the record with the life cycle's explanation of why the action is not open."""
    try:
        next_status(element.status, action)
    except RuleError as error:
        messages.error(request, error.message)
    return redirect("registry:element-detail", pk=element.pk)


class DocumentUploadView(EmployeePageMixin, ServiceFormView[Element, Document]):
    """Attach a technical document (field 12) or the act of commissioning (field 17)."""

    action_name = "attach_document"
    template_name = "registry/document_upload.html"
    form_class = DocumentUploadForm

    def get_object(self) -> Element:
        return self.owned_element(self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The upload form, if the record's state lets it be changed now."""
        self.object = self.get_object()
        if not allowed(self.object.status, Action.EDIT):
            return _not_now(request, self.object, Action.EDIT)
        return self.show_form()

    def service(self, actor: Actor, obj: Element, data: dict[str, Any]) -> Document:
        return services.attach_document(actor, obj, data["kind"], data["file"], data["title"])

    def get_success_message(self, result: Document) -> str:
        return _("“%(title)s” has been attached.") % {"title": result.title}

    def get_success_url(self, result: Document) -> str:
        return reverse("registry:element-edit", args=[self.object.pk])

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        element = self.object
        context = {"element": element, "form": form, "documents": element.documents.all()}
        return render(self.request, self.template_name, context, status=status)


class ElementSubmitView(EmployeePageMixin, ServiceFormView[Element, Submission]):
    """The checklist of the 17 fields, then submission for review within 3 working days."""

    action_name = "submit"
    template_name = "registry/element_submit.html"
    form_class = SubmitForm

    def get_object(self) -> Element:
        return self.owned_element(self.kwargs["pk"])

    def service(self, actor: Actor, obj: Element, data: dict[str, Any]) -> Submission:
        return services.submit_element(actor, obj, allow_incomplete=data["allow_incomplete"])

    def get_success_message(self, result: Submission) -> str:
        return _(
            "The record has been submitted. The operator registers it or refuses by %(due)s."
        ) % {"due": date_format(result.due_date)}

    def get_success_url(self, result: Submission) -> str:
        return reverse("registry:element-detail", args=[self.object.pk])

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        element = self.object
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
