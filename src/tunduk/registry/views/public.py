"""Public pages: what the Registry is, the list of registered elements, a record, its history.

Anyone may read them without signing in (001 art. 12, 15). Records that were never
registered are shown only to their subject's employees and to staff; non-public fields
(``registry.fields``) only to those who ``can_view_private``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from tunduk.accounts.choices import Role
from tunduk.core.actors import Actor
from tunduk.core.pagination import ForgivingPaginationMixin
from tunduk.journaling.proofs import entry_proofs
from tunduk.registry import snapshot
from tunduk.registry.choices import (
    ElementStatus,
    ElementType,
    InformationRequestStatus,
    SubmissionStatus,
)
from tunduk.registry.fields import describe_missing
from tunduk.registry.forms import ElementFilterForm
from tunduk.registry.interactions import link_named_elements
from tunduk.registry.lifecycle import PUBLIC_STATUSES, Action, allowed
from tunduk.registry.models import DecommissioningNotice, Element, ElementVersion
from tunduk.registry.proposals import element_proposal_numbers, open_change
from tunduk.registry.views.public_record import (
    compare_records,
    diff_rows,
    event_label,
    record_fields,
)
from tunduk.registry.visibility import (
    can_read,
    can_view_private,
    public_elements,
    readable_versions,
)
from tunduk.workdays.deadlines import is_overdue

LIST_COLUMNS = (
    "id",
    "full_name",
    "full_name_ru",
    "short_name",
    "registration_code",
    "element_type",
    "status",
    "registered_at",
    "decommissioned_at",
    "subject__id",
    "subject__name",
    "subject__name_ru",
    "subject__short_name",
)


def is_owner(user: Actor, element: Element) -> bool:
    """Whether ``user`` is an authorised employee of the element's subject."""
    return bool(
        user.is_authenticated
        and user.role == Role.SUBJECT_EMPLOYEE
        and user.subject_id == element.subject_id
    )


def visible_element(request: HttpRequest, queryset: QuerySet[Element], pk: int) -> Element:
    """The element, or 404 when it was never registered and the user may not see it."""
    element = get_object_or_404(queryset, pk=pk)
    if not can_read(request.user, element):
        raise Http404
    return element


class HomeView(TemplateView):
    """What the Registry is, how many elements of each type and status it holds, a search box."""

    template_name = "registry/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        counts = {
            (row["element_type"], row["status"]): row["total"]
            for row in public_elements()
            .order_by()
            .values("element_type", "status")
            .annotate(total=Count("id"))
        }
        statuses = [status for status in PUBLIC_STATUSES]
        table = [
            {
                "type": element_type,
                "counts": [counts.get((element_type.value, s.value), 0) for s in statuses],
                "total": sum(counts.get((element_type.value, s.value), 0) for s in statuses),
            }
            for element_type in ElementType
        ]
        return super().get_context_data(
            statuses=statuses,
            table=table,
            total=sum(counts.values()),
            status_totals=[
                sum(counts.get((t.value, s.value), 0) for t in ElementType) for s in statuses
            ],
            **kwargs,
        )


class ElementListView(ForgivingPaginationMixin[Element]):
    """Registered, changing and decommissioned elements: search, filters, 50 per page."""

    template_name = "registry/element_list.html"
    context_object_name = "elements"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Element]:
        self.filter_form = ElementFilterForm(self.request.GET)
        queryset = public_elements().select_related("subject").only(*LIST_COLUMNS)
        return self.filter_form.filter(queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(filter_form=self.filter_form, **kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=3, on_ends=1
        )
        return context


def _detail_queryset() -> QuerySet[Element]:
    return Element.objects.select_related("subject").prefetch_related(
        "software", "resources", "interactions", "services", "documents", snapshot.OPEN_CHANGES
    )


class ElementDetailView(TemplateView):
    """One record: public fields for everyone, all fields and actions for its owner and staff."""

    template_name = "registry/element_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        element = visible_element(self.request, _detail_queryset(), self.kwargs["pk"])
        link_named_elements(element.interactions.all(), exclude=element.pk)
        user = self.request.user
        private = can_view_private(user, element)
        owner = is_owner(user, element)
        context: dict[str, Any] = {
            "element": element,
            "private": private,
            "owner": owner,
            "fields": record_fields(element, private),
        }
        if private:
            context.update(self._private_context(element))
        if owner:
            context["actions"] = {
                "edit": allowed(element.status, Action.EDIT),
                "submit": allowed(element.status, Action.SUBMIT)
                or allowed(element.status, Action.SUBMIT_CHANGE),
                "decommission": allowed(element.status, Action.NOTIFY_DECOMMISSIONING),
            }
            context["open_requests"] = element.information_requests.filter(
                status=InformationRequestStatus.OPEN
            )
        return super().get_context_data(**context, **kwargs)

    def _private_context(self, element: Element) -> dict[str, Any]:
        open_submission = element.submissions.filter(status=SubmissionStatus.OPEN).first()
        refusal = None
        if element.status in (ElementStatus.REFUSED, ElementStatus.CHANGE_REFUSED):
            latest = (
                element.submissions.select_related("decision")
                .filter(status=SubmissionStatus.REFUSED)
                .order_by("-submitted_at", "-id")
                .first()
            )
            refusal = getattr(latest, "decision", None) if latest else None
        notice = (
            DecommissioningNotice.objects.filter(element=element).order_by("-notified_at").first()
        )
        change = open_change(element)
        return {
            # 000 §24: the proposed change beside the registered record, for those who
            # may read it; the public sees the registered record only (000 §21).
            "proposed_change": change,
            "comparison": compare_records(snapshot.take(element), change.record, private=True)
            if change is not None
            else None,
            "open_submission": open_submission,
            "submission_overdue": bool(open_submission and is_overdue(open_submission.due_date)),
            "refusal": refusal,
            "refusal_missing": describe_missing(refusal.missing_fields) if refusal else "",
            "notice": notice,
        }


class ElementHistoryView(TemplateView):
    """Every version of a record with who, when, what happened and what changed (000 §24)."""

    template_name = "registry/element_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        element = visible_element(
            self.request, Element.objects.select_related("subject"), self.kwargs["pk"]
        )
        private = can_view_private(self.request.user, element)
        versions = list(
            readable_versions(self.request.user, element)
            .select_related("actor")
            .order_by("-number")
        )
        proofs = entry_proofs(version.journal_index for version in versions)
        hidden = element_proposal_numbers(element) if private else set()
        rows = [
            {
                "version": version,
                "event": event_label(version.event),
                "proposed": version.number in hidden,
                # The public sees the role of whoever made the change, not the person's
                # name: names of officials are personal data (001 art. 13).
                "who": _who(version, private),
                "diff": diff_rows(version.changes, private),
                "proof": proofs.get(version.journal_index)
                if version.journal_index is not None
                else None,
            }
            for version in versions
        ]
        return super().get_context_data(element=element, private=private, versions=rows, **kwargs)


def _who(version: ElementVersion, private: bool) -> str:
    actor = version.actor
    if actor is None:
        return ""
    role = actor.get_role_display()
    return f"{actor} ({role})" if private else role
