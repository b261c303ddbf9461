"""Issue 7 (7): the public pages leak nothing through exports, history or downloads."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import make_registered
from tunduk.registry import services
from tunduk.registry.choices import DocumentKind
from tunduk.registry.models import Document

pytestmark = pytest.mark.django_db


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_export_neutralises_formula_cells(client: Client, employee, operator):
    """Issue 7 (7): a registered name ``=HYPERLINK(…)`` reaches the public CSV as text, not a formula."""
    make_registered(
        employee,
        operator,
        full_name='=HYPERLINK("http://127.0.0.1/x","click")',
        short_name="+SUM(1)",
    )
    body = streamed(client.get(reverse("registry:element-export-csv")))
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0]["full_name"] == '\'=HYPERLINK("http://127.0.0.1/x","click")'
    assert rows[0]["short_name"] == "'+SUM(1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_public_history_hides_versions_before_registration(client: Client, employee, operator):
    """Issue 7 (7): anonymous readers see the history from the registration on, as in the API."""
    element = make_registered(employee, operator)
    numbers = list(element.versions.order_by("number").values_list("number", flat=True))
    first_public = element.versions.get(status="registered").number
    assert numbers[0] < first_public
    url = reverse("registry:element-history", args=[element.pk])
    shown = [row["version"].number for row in client.get(url).context["versions"]]
    assert shown and min(shown) == first_public
    api = client.get(f"/api/elements/{element.pk}/versions").json()
    assert sorted(shown) == sorted(item["number"] for item in api["items"])
    client.force_login(employee)
    owner_view = [row["version"].number for row in client.get(url).context["versions"]]
    assert sorted(owner_view) == numbers


HTML_AS_PDF = b"%PDF-<html><script>alert(document.cookie)</script></html>"


def test_html_disguised_as_pdf_is_served_as_pdf(client: Client, employee, operator):
    """Issue 7 (7): a file claimed as text/html is served as what its bytes are, never as HTML."""
    element = make_registered(employee, operator)
    upload = SimpleUploadedFile("report.pdf", HTML_AS_PDF, content_type="text/html")
    document = services.attach_document(employee, element, DocumentKind.TECHNICAL, upload)
    assert document.content_type == "application/pdf"
    client.force_login(employee)
    response = client.get(reverse("registry:document-download", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_stored_claimed_type_is_not_trusted_on_download(client: Client, employee, operator):
    """Issue 7 (7): a document stored earlier with the uploader's claim is re-detected on download."""
    element = make_registered(employee, operator)
    document = element.documents.first()
    Document.objects.filter(pk=document.pk).update(content_type="text/html")
    client.force_login(employee)
    response = client.get(reverse("registry:document-download", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_document_whose_bytes_match_no_type_is_served_as_octet_stream(
    client: Client, employee, operator
):
    """Issue 7 (7): a stored file that is not what its name says is served as opaque bytes."""
    element = make_registered(employee, operator)
    document = element.documents.first()
    Document.objects.filter(pk=document.pk).update(
        original_name="page.html", content_type="text/html"
    )
    client.force_login(employee)
    response = client.get(reverse("registry:document-download", args=[document.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
