"""The Catalog is browsable: search and filters, field 10 links, the readable global
configuration with its history — in Kyrgyz and English (issue 11, item 14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import EmployeeFactory, OperatorFactory, make_element, make_registered
from tests.factories.catalog import catalog_world
from tunduk.catalog.configuration import publish_configuration
from tunduk.catalog.models import ConfigurationVersion
from tunduk.registry.models import Interaction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ky", "en"])
def test_public_search_and_filters_of_participants_subsystems_and_services(
    page_in, language
) -> None:
    """003 §2.3: anyone finds participants, subsystems and services by search and filters."""
    world = catalog_world()
    page = page_in(language)

    page.goto("/catalog/")
    expect(page.locator("section.participant")).to_have_count(2)
    page.fill("#participant-filter input[name=q]", world.provider.member_code)
    page.click("#participant-filter-apply")
    expect(page.locator("section.participant")).to_have_count(1)
    expect(page.locator(f"#participant-{world.provider.pk}")).to_be_visible()
    page.goto("/catalog/?q=no-such-participant-anywhere")
    expect(page.locator("#no-results")).to_be_visible()

    page.click("#tab-subsystems")
    expect(page.locator("tr.subsystem-row")).to_have_count(2)
    page.select_option("#subsystem-filter select[name=participant]", str(world.consumer.pk))
    page.click("#subsystem-filter-apply")
    expect(page.locator("tr.subsystem-row")).to_have_count(1)
    expect(page.locator("tr.subsystem-row")).to_contain_text("benefits")

    page.click("#tab-services")
    expect(page.locator("tr.service-row")).to_have_count(1)
    page.fill("#service-filter input[name=q]", "birth")
    page.click("#service-filter-apply")
    expect(page.locator("tr.service-row")).to_have_count(1)
    page.fill("#service-filter input[name=q]", "no-such-service")
    page.click("#service-filter-apply")
    expect(page.locator("#no-results")).to_be_visible()
    # A hostile filter value (another type, a huge id) narrows nothing and breaks nothing.
    response = page.goto("/catalog/services/?participant=99999999999999999999&subsystem=x")
    assert response is not None and response.status == 200


@pytest.mark.parametrize("language", ["ky", "en"])
def test_global_configuration_has_a_readable_page_with_history(page_in, language) -> None:
    """003 §3.2: the configuration's content and every version, beside the signed download."""
    world = catalog_world()
    publish_configuration(force=True)
    publish_configuration(force=True)
    page = page_in(language)
    page.goto("/catalog/")
    page.click("#tab-globalconf")
    expect(page.locator("#conf-members")).to_contain_text(world.provider.member_code)
    expect(page.locator("tr.conf-version")).to_have_count(ConfigurationVersion.objects.count())
    href = page.locator("#signed-download").get_attribute("href")
    assert href == "/globalconf/configuration"
    download = page.request.get(href)
    assert download.status == 200 and download.headers["content-type"].startswith("application/")


@pytest.mark.parametrize("language", ["ky", "en"])
def test_field_10_links_to_the_elements_it_names(page_in, language, subject) -> None:
    """000 §20.10: an interacting resource names another element; the record links to it."""
    employee = EmployeeFactory(subject=subject)
    operator = OperatorFactory()
    population = make_registered(employee, operator, full_name="Population register")
    draft = make_element(employee, complete=False, full_name="Unpublished draft")
    benefits = make_registered(employee, operator, full_name="Benefits system")
    benefits.interactions.all().delete()
    Interaction.objects.create(
        element=benefits, resource_name="Persons", system_name="population REGISTER"
    )
    Interaction.objects.create(
        element=benefits, resource_name="Drafts", system_name=draft.full_name
    )
    Interaction.objects.create(
        element=benefits, resource_name="Unknown", system_name="Not in the Registry"
    )
    page = page_in(language)
    page.goto(f"/elements/{benefits.pk}/")
    links = page.locator("#list-interactions a.interaction-link")
    # The registered element is linked; a draft (not public) and an unknown name are not.
    expect(links).to_have_count(1)
    assert links.first.get_attribute("href") == f"/elements/{population.pk}/"
