"""One way to guard a page (core.views.RoleRequiredMixin) and its one audited, shared 403 page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import View

from tests.factories import (
    AuthorisedBodyUserFactory,
    DayTransferFactory,
    EmployeeFactory,
    OperatorFactory,
    TundukOperatorFactory,
    make_element,
    make_registered,
    pdf,
)
from tunduk.core.audit import Event
from tunduk.core.models import AuditEvent
from tunduk.core.views import FORBIDDEN_TEMPLATE, RoleRequiredMixin
from tunduk.registry.models import DecommissioningNotice, InformationRequest
from tunduk.workdays.deadlines import today_local

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]  # a User from a factory
    return client


def test_shared_403_page_is_audited_and_translated() -> None:
    """000 §16–17, 003 §3.1: a refused page says why in the user's language and is audited."""
    employee = EmployeeFactory()
    client = signed_in(employee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    url = reverse("catalog:operator-home")
    response = client.get(url)
    assert response.status_code == 403
    assert FORBIDDEN_TEMPLATE in [template.name for template in response.templates]
    assert '<html lang="ru">' in response.text
    assert "Доступ запрещён" in response.text
    assert "Это может сделать только пользователь с ролью" in response.text
    assert "Попытка зарегистрирована в журнале" in response.text
    denial = AuditEvent.objects.get(name=Event.ACCESS_DENIED, actor=employee)
    assert denial.detail["path"] == url
    assert denial.detail["method"] == "GET"
    assert denial.detail["needed"] == ["tunduk_operator"]
    assert denial.ip_address == "127.0.0.1"


@pytest.mark.parametrize(
    ("make_user", "name", "args"),
    [
        (OperatorFactory, "catalog:operator-home", []),
        (TundukOperatorFactory, "registry:submission-queue", []),
        (EmployeeFactory, "registry:information-request-list", []),
        (AuthorisedBodyUserFactory, "registry:element-create", []),
        (EmployeeFactory, "workdays:transfer-edit", ["transfer"]),
    ],
)
def test_every_app_refuses_another_role_the_same_way(make_user, name, args) -> None:
    """000 §16–17, 003 §3.1: a role-guarded page of any app refuses another role alike."""
    user = make_user()
    if args:
        args = [DayTransferFactory().pk]
    url = reverse(name, args=args)
    for method in ("get", "post"):
        response = getattr(signed_in(user), method)(url, {})
        assert response.status_code == 403, (name, method)
        assert 'id="forbidden-reason"' in response.text
        assert FORBIDDEN_TEMPLATE in [template.name for template in response.templates]
    denials = AuditEvent.objects.filter(name=Event.ACCESS_DENIED, actor=user, detail__path=url)
    assert sorted(denials.values_list("detail__method", flat=True)) == ["GET", "POST"]


def test_public_is_sent_to_sign_in_and_not_audited(client: Client) -> None:
    """000 §9: a guarded page sends the public to sign in; nobody was refused, nothing audited."""
    response = client.get(reverse("registry:submission-queue"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not AuditEvent.objects.filter(name=Event.ACCESS_DENIED).exists()


def test_service_form_refusal_is_audited_and_stores_nothing(employee, operator) -> None:
    """000 §28: another subject's employee posting a notice for our element is refused, audited."""
    element = make_registered(employee, operator)
    intruder = EmployeeFactory()
    url = reverse("registry:decommissioning-create", args=[element.pk])
    response = signed_in(intruder).post(
        url,
        {
            "decision_date": (today_local() - timedelta(days=1)).isoformat(),
            "decision_reference": "Forged order",
            "decision_copy": pdf("forged.pdf"),
            "reason": "Hijack",
        },
    )
    assert response.status_code == 403
    assert FORBIDDEN_TEMPLATE in [template.name for template in response.templates]
    assert reverse("registry:application-create") in response.text  # how to apply instead
    assert not DecommissioningNotice.objects.exists()
    assert AuditEvent.objects.filter(
        name=Event.ACCESS_DENIED, actor=intruder, detail__path=url, detail__method="POST"
    ).exists()


def test_service_form_shows_a_rule_error_on_the_form(authorised_body, employee) -> None:
    """000 §10: the service's refusal (a question without text) is shown next to its field."""
    element = make_element(employee)
    url = reverse("registry:information-request-create", args=[element.pk])
    response = signed_in(authorised_body).post(
        url, {"question": "   ", "answer_due": (today_local() + timedelta(days=5)).isoformat()}
    )
    assert response.status_code == 400
    assert 'id="id_question_error"><li>Write the question.</li>' in response.text
    assert not InformationRequest.objects.exists()


class _Unguarded(RoleRequiredMixin, View):
    """A page whose author forgot to name its roles."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("secret")


def test_a_page_naming_no_role_refuses_to_run() -> None:
    """Deny by default: a guarded page without ``allowed_roles`` is an error, never open to all."""
    request = RequestFactory().get("/unguarded/")
    request.user = OperatorFactory()
    with pytest.raises(ImproperlyConfigured, match="names no allowed_roles"):
        _Unguarded.as_view()(request)
