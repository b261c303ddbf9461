"""Pagination and filters of the list endpoints."""

from __future__ import annotations

import pytest

from tests.factories import EmployeeFactory, SubjectFactory, make_element, make_registered, pdf
from tunduk.registry import services
from tunduk.registry.choices import ElementType, SubjectKind
from tunduk.workdays.deadlines import today_local

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_registered(employee, operator):
    return [make_registered(employee, operator, full_name=f"System {n}") for n in range(5)]


def test_pages_are_stable_and_complete(public_api, five_registered):
    """API: ?page=&page_size= walks every element once, in name order."""
    first = public_api.get("/elements", page_size=2).json()
    assert (first["count"], first["page"], first["page_size"], first["pages"]) == (5, 1, 2, 3)
    seen = []
    for page in (1, 2, 3):
        seen += [
            item["full_name"]
            for item in public_api.get("/elements", page=page, page_size=2).json()["items"]
        ]
    assert seen == [f"System {n}" for n in range(5)]
    assert public_api.get("/elements", page=4, page_size=2).json()["items"] == []


def test_page_size_is_capped_at_200(public_api):
    """API: a page of more than 200 items is refused with a 422 naming the parameter."""
    response = public_api.get("/elements", page_size=201)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.page_size"


def test_element_filters(public_api, employee, operator, five_registered):
    """API: q, type, status and subject narrow the list like the web filters."""
    other_employee = EmployeeFactory()
    make_registered(
        other_employee, operator, full_name="Data centre", element_type=ElementType.DATA_CENTRE
    )
    code = five_registered[0].registration_code

    def names(**params):
        return [item["full_name"] for item in public_api.get("/elements", **params).json()["items"]]

    assert names(q="system 3") == ["System 3"]
    assert names(q=code) == ["System 0"]
    assert names(type="data_centre") == ["Data centre"]
    assert names(subject=other_employee.subject_id) == ["Data centre"]
    assert len(names(status="registered")) == 6
    assert names(status="draft") == []
    assert public_api.get("/elements", type="ufo").status_code == 422


def test_subject_filters(public_api):
    """API: subjects are searchable by name and kind."""
    SubjectFactory(name="Ministry of Health", short_name="MoH")
    SubjectFactory(name="Bishkek city hall", short_name="BCH", kind=SubjectKind.LOCAL_GOVERNMENT)
    found = public_api.get("/subjects", q="health").json()
    assert [item["short_name"] for item in found["items"]] == ["MoH"]
    local = public_api.get("/subjects", kind="local_government").json()["items"]
    assert [item["name"] for item in local] == ["Bishkek city hall"]
    subject_id = local[0]["id"]
    assert public_api.get(f"/subjects/{subject_id}").json()["kind"] == "local_government"


def test_submission_queue_sorted_by_due_date_with_overdue_filter(api_as, employee, operator):
    """000 §21: the operator's queue is sorted by due date and marks overdue reviews."""
    late = services.submit_element(employee, make_element(employee, full_name="Late"))
    fresh = services.submit_element(employee, make_element(employee, full_name="Fresh"))
    late.due_date = late.due_date.replace(year=late.due_date.year - 1)
    late.save(update_fields=["due_date"])
    staff = api_as(operator)
    queue = staff.get("/submissions", status="open").json()["items"]
    assert [item["id"] for item in queue] == [late.pk, fresh.pk]
    assert [item["overdue"] for item in queue] == [True, False]
    overdue = staff.get("/submissions", overdue="true").json()["items"]
    assert [item["id"] for item in overdue] == [late.pk]
    on_time = staff.get("/submissions", overdue="false").json()["items"]
    assert [item["id"] for item in on_time] == [fresh.pk]


def test_an_employee_sees_only_the_own_subjects_submissions(api_as, employee, operator):
    """000 §16–17: a subject's employee follows its own reviews, not other subjects'."""
    mine = services.submit_element(employee, make_element(employee))
    other = EmployeeFactory()
    services.submit_element(other, make_element(other))
    items = api_as(employee).get("/submissions").json()["items"]
    assert [item["id"] for item in items] == [mine.pk]


@pytest.mark.parametrize(
    "path",
    ["/elements", "/subjects", "/submissions", "/decommissioning-notices", "/information-requests"],
)
def test_list_queries_do_not_grow_with_the_page(
    api_as, employee, operator, authorised_body, path, django_assert_max_num_queries
):
    """API: a list page costs a fixed number of queries, however many items it holds (no N+1)."""
    for n in range(4):
        element = make_registered(employee, operator, full_name=f"Listed {n}")
        services.ask(authorised_body, element, f"Question {n}?")
        services.submit_element(employee, make_element(employee, full_name=f"Queued {n}"))
        services.notify_decommissioning(
            employee,
            element,
            decision_date=today_local(),
            decision_reference=f"Order {n}",
            decision_copy=pdf(),
        )
        SubjectFactory()
    staff = api_as(operator)
    with django_assert_max_num_queries(6):
        response = staff.get(path, page_size=200)
    assert response.status_code == 200
    assert response.json()["count"] >= 4
