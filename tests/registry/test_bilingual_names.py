"""Names in Kyrgyz (the state language) and Russian (the official language): shown in the
reader's language with the other as fallback, in pages, the API and the exports
(issue 11 item 15; 000 §20 field 1; docs/search.md)."""

from __future__ import annotations

import csv
import importlib
import io
import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.factories import (
    SHARED_FIELDS,
    EmployeeFactory,
    SubjectFactory,
    catalog_world,
    make_registered,
)
from tunduk.catalog.services import systems
from tunduk.core.names import in_reader_language
from tunduk.registry import services
from tunduk.registry.models import ElementVersion
from tunduk.registry.row_checks import elements_match_latest_version

pytestmark = pytest.mark.django_db

KY_NAME = "Калкты идентификациялоонун бирдиктүү системасы"
RU_NAME = "Единая система идентификации населения"


@pytest.fixture(autouse=True)
def _language_restored():
    """A request in Kyrgyz or Russian leaves its language active in the thread; reset it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def bilingual(operator):
    subject = SubjectFactory(
        name="Калкты каттоо департаменти", name_ru="Департамент регистрации населения"
    )
    clerk = EmployeeFactory(subject=subject)
    both = make_registered(clerk, operator, full_name=KY_NAME, full_name_ru=RU_NAME)
    kyrgyz_only = make_registered(clerk, operator, full_name="Электрондук кезек", full_name_ru="")
    return both, kyrgyz_only


def reader(language: str) -> Client:
    return Client(headers={"Accept-Language": language})


def heading(client: Client, pk: int) -> str:
    content = client.get(f"/elements/{pk}/").content.decode()
    start = content.index('id="element-name">') + len('id="element-name">')
    return content[start : content.index("<", start)]


def test_in_reader_language_falls_back_to_the_other():
    """The reader's language first; the other one when it is empty."""
    assert in_reader_language("ky", "ru", "ru") == "ru"
    assert in_reader_language("ky", "ru", "ky") == "ky"
    assert in_reader_language("ky", "ru", "en") == "ky"
    assert in_reader_language("ky", "", "ru") == "ky"
    assert in_reader_language("", "ru", "ky") == "ru"


def test_element_page_shows_the_name_in_the_readers_language(bilingual):
    """Issue 11 item 15: a Russian reader sees the Russian name, a Kyrgyz one the Kyrgyz name,
    and a name missing in Russian falls back to Kyrgyz."""
    both, kyrgyz_only = bilingual
    assert heading(reader("ru"), both.pk).startswith(RU_NAME)
    assert heading(reader("ky"), both.pk).startswith(KY_NAME)
    assert heading(reader("ru"), kyrgyz_only.pk).startswith("Электрондук кезек")
    content = reader("ru").get(f"/elements/{both.pk}/").content.decode()
    assert "Департамент регистрации населения" in content
    listed = reader("ru").get("/elements/").content.decode()
    assert RU_NAME in listed and KY_NAME not in listed


def test_api_returns_both_names_and_the_request_language_one(bilingual):
    """Issue 11 item 15: ``name_ky``, ``name_ru`` and ``name`` in the request's language."""
    both, kyrgyz_only = bilingual
    item = reader("ru").get(f"/api/elements/{both.pk}").json()
    assert (item["name"], item["name_ky"], item["name_ru"]) == (RU_NAME, KY_NAME, RU_NAME)
    assert item["full_name"] == KY_NAME and item["full_name_ru"] == RU_NAME
    assert reader("ky").get(f"/api/elements/{both.pk}").json()["name"] == KY_NAME
    assert reader("ru").get(f"/api/elements/{kyrgyz_only.pk}").json()["name"] == (
        "Электрондук кезек"
    )
    subject = reader("ru").get(f"/api/subjects/{both.subject_id}").json()
    assert subject["name"] == "Департамент регистрации населения"
    assert subject["name_ky"] == "Калкты каттоо департаменти"


def test_exports_carry_both_languages(client: Client, bilingual):
    """001 art. 12.4 open data: each export has the Kyrgyz and the Russian names."""
    both, _kyrgyz_only = bilingual
    rows = json.loads(b"".join(client.get("/elements/export.json").streaming_content))
    row = next(row for row in rows if row["id"] == both.pk)
    assert (row["full_name"], row["full_name_ru"]) == (KY_NAME, RU_NAME)
    assert (row["subject"], row["subject_ru"]) == (
        "Калкты каттоо департаменти",
        "Департамент регистрации населения",
    )
    text = b"".join(client.get("/elements/export.csv").streaming_content).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    line = next(line for line in table if line["id"] == str(both.pk))
    assert (line["full_name"], line["full_name_ru"]) == (KY_NAME, RU_NAME)


def test_the_state_language_name_is_required(api_as, employee):
    """000 §20 field 1: the name in the state language is required; Russian alone is refused
    with an error naming the field."""
    response = api_as(employee).post("/elements", {"full_name_ru": RU_NAME})
    assert response.status_code == 422
    assert "full_name" in json.dumps(response.json())
    created = api_as(employee).post("/elements", {"full_name": KY_NAME})
    assert created.status_code in (200, 201), created.content
    assert created.json()["name_ru"] == ""


def test_an_overlong_russian_name_is_refused_by_name(api_as, employee):
    """Attacker: a Russian name over its column's length is a 422 naming ``full_name_ru``."""
    body = {"full_name": KY_NAME, "full_name_ru": "я" * 501}
    response = api_as(employee).post("/elements", body)
    assert response.status_code == 422
    assert "full_name_ru" in json.dumps(response.json())


def test_service_titles_in_both_languages(client: Client):
    """Issue 11 item 15: a Catalog service carries both titles; the API answers both and
    ``name`` in the request's language, and ``q`` finds either, folded."""
    world = catalog_world()
    systems.save_service(
        world.provider_engineer,
        world.provider_subsystem,
        service_code="birth-records",
        title="Туулгандыгы тууралуу маалымат",
        title_ru="Сведения о рождении",
        backend_url="https://births.internal/api",
        openapi_text=None,
        shared_fields=SHARED_FIELDS,
    )
    answer = reader("ru").get("/api/catalog/services", {"q": "СВЕДЕНИЯ О РОЖДЕНИИ"}).json()
    assert [item["name"] for item in answer["items"]] == ["Сведения о рождении"]
    item = answer["items"][0]
    assert item["name_ky"] == "Туулгандыгы тууралуу маалымат"
    answer = reader("ky").get("/api/catalog/services", {"q": "туулгандыгы"}).json()
    assert [item["name"] for item in answer["items"]] == ["Туулгандыгы тууралуу маалымат"]


def test_data_migration_copies_a_name_unless_it_is_kyrgyz():
    """The existing name stays the state-language one and is copied as the Russian one,
    unless Kyrgyz letters (ө, ү, ң) show it is not Russian."""
    migration = importlib.import_module(
        "tunduk.registry.migrations.0004_bilingual_names_and_search_text"
    )
    assert migration._russian_copy("Министерство юстиции") == "Министерство юстиции"
    assert migration._russian_copy("Юстиция министрлиги") == "Юстиция министрлиги"
    assert migration._russian_copy("Санариптик өнүктүрүү") == ""
    assert migration._russian_copy("Ministry of Justice") == "Ministry of Justice"


def test_versions_older_than_the_russian_name_still_match_their_record(bilingual):
    """000 §24, journal verify: a version recorded before ``full_name_ru`` existed reads it as
    empty, so the record still matches it; the next change records the Russian name."""
    _both, kyrgyz_only = bilingual
    latest = kyrgyz_only.versions.order_by("-number").first()
    old_snapshot = {k: v for k, v in latest.snapshot.items() if k != "full_name_ru"}
    ElementVersion.objects.filter(pk=latest.pk).update(snapshot=old_snapshot)
    failures = elements_match_latest_version({})
    assert not [f for f in failures if f"element {kyrgyz_only.pk} " in f.message]
    services.update_element(
        EmployeeFactory(subject=kyrgyz_only.subject), kyrgyz_only, {"full_name_ru": "Очередь"}
    )
    newest = kyrgyz_only.versions.order_by("-number").first()
    assert newest.changes == {"full_name_ru": {"old": "", "new": "Очередь"}}
