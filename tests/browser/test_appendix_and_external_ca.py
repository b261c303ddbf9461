"""In a real browser: the appendix's earlier versions (003 §2.3) and a certificate from an
approved national CA (003 §3.2.1)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import expect

from tests.catalog.national_ca import NationalCa, der, pem, subject_of
from tests.factories import SHARED_FIELDS, TundukOperatorFactory, catalog_world, make_participant
from tunduk.catalog.models import Certificate
from tunduk.catalog.services import systems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_reads_an_earlier_version_of_the_appendix(new_page):
    """003 §2.3, appendix 1: from the service page to version 1, with its fields and dates."""
    world = catalog_world()
    systems.save_service(
        world.provider_engineer,
        world.provider_subsystem,
        service_code="birth-records",
        title="Birth records",
        backend_url="https://births.internal/api",
        openapi_text=None,
        shared_fields=[*SHARED_FIELDS, {"name": "birth_place"}],
    )
    page = new_page()
    page.goto(f"/catalog/services/{world.service.pk}/")
    expect(page.locator("#appendix-current")).to_contain_text("Appendix version 2")
    page.click("#appendix-current a")
    expect(page.locator("tr.appendix-version")).to_have_count(2)
    page.click("#appendix-version-1 a")
    expect(page.locator("#older-version")).to_be_visible()
    expect(page.locator("#shared-fields tr.shared-field")).to_have_count(2)
    expect(page.locator("#shared-fields")).not_to_contain_text("birth_place")
    expect(page.locator("#endpoints tr.endpoint")).to_have_count(2)
    expect(page.locator("#valid-to")).not_to_have_text("in force")


def test_operator_approves_a_national_ca_and_a_participant_registers_its_certificate(
    new_page, sign_in, tmp_path
):
    """003 §3.2.1: upload the CA's DER file, then the participant's PEM; the page names the CA."""
    tunduk_operator = TundukOperatorFactory()
    participant, engineer = make_participant(tunduk_operator, "70000001")
    national = NationalCa.create()
    ca_file = tmp_path / "national-ca.cer"
    ca_file.write_bytes(der(national.certificate))

    operator_page = new_page()
    sign_in(operator_page, tunduk_operator.username)
    operator_page.goto("/catalog/certificate-authorities/")
    operator_page.fill("input[name=name]", "National Certification Centre")
    operator_page.set_input_files("input[name=certificate_file]", str(ca_file))
    operator_page.click("#external-ca-form-approve")
    expect(operator_page.locator("tr.external-ca")).to_contain_text("National Certification Centre")

    key = ec.generate_private_key(ec.SECP256R1())
    issued = national.issue(subject_of(participant), key.public_key(), authentication=False)
    page = new_page()
    sign_in(page, engineer.username)
    page.goto("/catalog/mine/")
    page.click("#link-external-certificate")
    page.select_option("select[name=profile]", "signing")
    page.fill("textarea[name=certificate_text]", pem(issued).decode())
    page.click("#external-certificate-form-register")
    expect(page.locator("#certificate-issuer")).to_contain_text("National Certification Centre")
    assert Certificate.objects.get().serial_number == format(issued.serial_number, "x")
