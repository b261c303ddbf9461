"""The operator's review pages (000 §21–23) and the base every staff page is built on.

Staff pages belong to the Registry operator and the authorised body. A signed-in user
of another role gets the shared 403 page and the attempt is written to the audit trail
(``core.views.RoleRequiredMixin``); an anonymous visitor is sent to sign in. Every action calls a service in
``tunduk.registry.services``; the service's error is shown on the page it came from.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, TypeVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet, TextChoices
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from tunduk.accounts.actors import signed_in_user
from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.errors import NotPermitted, RuleError
from tunduk.core.forms import show_error
from tunduk.core.views import RoleRequiredMixin
from tunduk.registry import services, snapshot
from tunduk.registry.choices import (
    ApplicationStatus,
    DecommissioningStatus,
    InformationRequestStatus,
    RefusalGround,
    SubmissionKind,
    SubmissionStatus,
)
from tunduk.registry.fields import RECORD_FIELDS, RecordField, field_is_complete
from tunduk.registry.forms.staff import RefusalForm, SubmissionQueueFilterForm
from tunduk.registry.models import (
    AccessApplication,
    DecommissioningNotice,
    Element,
    InformationRequest,
    ReviewDecision,
    Submission,
)
from tunduk.registry.proposals import open_change, proposed_element, submitted_pair
from tunduk.registry.views.public_record import compare_records
from tunduk.workdays.deadlines import Deadline, days_left, is_overdue, today_local

QUEUE_PAGE_SIZE = 25
T = TypeVar("T")


def work_counts(user: Actor) -> dict[str, int]:
    """How many items wait for this user's role: shown as tabs on every staff page."""
    counts = {"applications": 0, "decommissionings": 0, "submissions": 0}
    if not user.is_authenticated:
        return counts
    if user.role == Role.OPERATOR:
        counts["submissions"] = Submission.objects.filter(status=SubmissionStatus.OPEN).count()
        counts["applications"] = AccessApplication.objects.filter(
            status=ApplicationStatus.FORWARDED
        ).count()
        counts["decommissionings"] = DecommissioningNotice.objects.filter(
            status=DecommissioningStatus.AGREED
        ).count()
    elif user.role == Role.AUTHORISED_BODY:
        counts["applications"] = AccessApplication.objects.filter(
            status=ApplicationStatus.RECEIVED
        ).count()
        counts["decommissionings"] = DecommissioningNotice.objects.filter(
            status=DecommissioningStatus.NOTIFIED
        ).count()
    counts["open_requests"] = InformationRequest.objects.filter(
        status=InformationRequestStatus.OPEN
    ).count()
    return counts


def mark_deadline(items: list[T], attribute: str, today: date) -> list[T]:
    """Give each item ``days_left`` and ``is_overdue`` for the due date in ``attribute``."""
    for item in items:
        due = getattr(item, attribute)
        item.days_left = days_left(due, today)  # type: ignore[attr-defined]  # for the template only
        item.is_overdue = is_overdue(due, today)  # type: ignore[attr-defined]  # for the template only
    return items


class StaffPage(RoleRequiredMixin, View):
    """A staff page for the roles in ``allowed_roles`` (``core.views``), with the work tabs.

    A ``NotPermitted`` from a service gets the same audited 403 page as a wrong role; a
    service's other errors are shown where the page puts them (``place_error``).
    """

    allowed_roles: ClassVar[tuple[TextChoices, ...]] = (Role.OPERATOR,)
    action_name = "staff_page"

    @property
    def role(self) -> str:
        """The signed-in user's role (dispatch has already refused anyone else)."""
        return signed_in_user(self.request.user).role

    def render_page(
        self, template: str, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        """Render a staff template with the work counts for the tabs."""
        context = {"counts": work_counts(self.request.user), **context}
        return render(self.request, f"registry/{template}", context, status=status)

    @staticmethod
    def place_error(form: Any, error: RuleError) -> list[str]:
        """Put a field's error on the form; return other errors for the top of the page.

        A state error (the item was decided meanwhile) must show even when the page no
        longer renders the form.
        """
        if error.field in form.fields:
            show_error(form, error)
            return []
        return [error.message]

    def redirect_back(self, default: str) -> HttpResponseRedirect:
        """Go to the page named in ``next`` when it is on this site, else to ``default``."""
        target = self.request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, {self.request.get_host()}, self.request.is_secure()
        ):
            target = default
        return HttpResponseRedirect(target)


class SubmissionQueueView(StaffPage):
    """Open submissions, the earliest review due date first, overdue ones flagged (000 §21)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = today_local()
        form = SubmissionQueueFilterForm(request.GET or None)
        queryset = Submission.objects.filter(status=SubmissionStatus.OPEN).select_related(
            "element", "element__subject", "submitted_by"
        )
        total = queryset.count()
        overdue_total = queryset.filter(due_date__lt=today).count()
        if form.is_valid():
            if form.cleaned_data["kind"]:
                queryset = queryset.filter(kind=form.cleaned_data["kind"])
            if form.cleaned_data["overdue"]:
                queryset = queryset.filter(due_date__lt=today)
        queryset = queryset.order_by("due_date", "submitted_at", "id")
        page = Paginator(queryset, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        mark_deadline(page.object_list, "due_date", today)  # type: ignore[arg-type]  # a Page's object_list is a sequence, typed as one
        filters = request.GET.copy()
        filters.pop("page", None)
        context = {
            "form": form,
            "page": page,
            "total": total,
            "overdue_total": overdue_total,
            "shown": page.paginator.count,
            "filter_query": filters.urlencode(),
            "deadline": Deadline.ELEMENT_REVIEW,
        }
        return self.render_page("staff_submission_queue.html", context)


def _display(element: Element, attribute: str) -> str:
    value = getattr(element, attribute)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if getattr(Element._meta.get_field(attribute), "choices", None) and value:
        return str(getattr(element, f"get_{attribute}_display")())
    return "" if value is None else str(value)


def record_checklist(element: Element) -> list[dict[str, Any]]:
    """The 17 fields of 000 §20 with their values and whether each is filled (000 §22)."""
    current = snapshot.take(element)
    documents = snapshot.documents_of(element)
    rows = []
    for field in RECORD_FIELDS:
        rows.append(
            {
                "number": field.number,
                "label": field.label,
                "complete": field_is_complete(current, field.number),
                "values": _field_values(element, field),
                "items": [str(row) for row in getattr(element, field.list_name).all()]
                if field.list_name
                else [],
                "documents": [doc for doc in documents if doc.kind == field.document_kind]
                if field.document_kind
                else [],
            }
        )
    return rows


def _field_values(element: Element, field: RecordField) -> list[tuple[str, str]]:
    return [
        (str(getattr(Element._meta.get_field(name), "verbose_name", name)), _display(element, name))
        for name in field.attributes
    ]


class SubmissionReviewView(StaffPage):
    """The whole record, the 17-field checklist, and the register / refuse actions."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        submission = self._submission(pk)
        return self.show(submission)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        submission = self._submission(pk)
        action = request.POST.get("action")
        if action == "register":
            return self._register(submission)
        if action == "refuse":
            return self._refuse(submission)
        return self.show(submission, errors=[_("Choose “Register” or “Refuse”.")], status=400)

    def _submission(self, pk: int) -> Submission:
        return get_object_or_404(
            Submission.objects.select_related("element", "element__subject", "submitted_by"),
            pk=pk,
        )

    def _register(self, submission: Submission) -> HttpResponse:
        try:
            services.register(self.request.user, submission)
        except NotPermitted:
            raise  # the audited 403 page
        except RuleError as error:
            return self.show(submission, errors=[error.message], status=error.status_code)
        submission.element.refresh_from_db()
        messages.success(
            self.request,
            _("Registered. Registration code: %(code)s")
            % {"code": submission.element.registration_code},
        )
        return HttpResponseRedirect(reverse("registry:submission-review", args=[submission.pk]))

    def _refuse(self, submission: Submission) -> HttpResponse:
        form = RefusalForm(self.request.POST)
        if not form.is_valid():
            return self.show(submission, refusal_form=form, status=400)
        data = form.cleaned_data
        try:
            services.refuse(self.request.user, submission, data["ground"], data["explanation"])
        except NotPermitted:
            raise  # the audited 403 page
        except RuleError as error:
            errors = self.place_error(form, error)
            return self.show(submission, refusal_form=form, errors=errors, status=error.status_code)
        messages.success(self.request, _("The refusal has been recorded and sent to the subject."))
        return HttpResponseRedirect(reverse("registry:submission-review", args=[submission.pk]))

    def show(
        self,
        submission: Submission,
        *,
        refusal_form: RefusalForm | None = None,
        errors: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        """The review page for ``submission`` as it is now."""
        submission.refresh_from_db()
        element = submission.element
        element.refresh_from_db()
        pair = submitted_pair(submission)
        checklist = record_checklist(_reviewed_record(submission, element))
        missing = [row["number"] for row in checklist if not row["complete"]]
        if refusal_form is None:
            refusal_form = RefusalForm(
                initial={"ground": RefusalGround.INCOMPLETE if missing else ""}
            )
        today = today_local()
        context = {
            "submission": submission,
            "element": element,
            "checklist": checklist,
            "missing": missing,
            "is_open": submission.status == SubmissionStatus.OPEN,
            "decisions": _decisions(element),
            # 000 §24: a change is reviewed beside the registered record, field by field.
            "comparison": compare_records(*pair, private=True) if pair else None,
            "documents": element.documents.all(),
            "registered_documents": {doc.pk for doc in snapshot.documents_of(element)},
            "refusal_form": refusal_form,
            "errors": errors or [],
            "days_left": days_left(submission.due_date, today),
            "is_overdue": is_overdue(submission.due_date, today),
            "deadline": Deadline.ELEMENT_REVIEW,
        }
        return self.render_page("staff_submission_review.html", context, status=status)


def _reviewed_record(submission: Submission, element: Element) -> Element:
    """What the operator checks: an open change's proposed record, else the element's."""
    if submission.status == SubmissionStatus.OPEN and submission.kind == SubmissionKind.CHANGE:
        change = open_change(element)
        if change is not None:
            return proposed_element(element, change.record)
    return element


def _decisions(element: Element) -> QuerySet[ReviewDecision]:
    return (
        ReviewDecision.objects.filter(submission__element=element)
        .select_related("submission", "decided_by")
        .order_by("-decided_at", "-id")
    )
