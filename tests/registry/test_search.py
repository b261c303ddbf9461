"""Search in Kyrgyz and Russian: case and ё/е ignored on both engines, one answer on the
public page, its export and the API (001 art. 12.4 open data; issue 11 item 3; docs/search.md).

These run on SQLite (``bin/test``) and on PostgreSQL (``bin/test-postgres``): the folding
is the same Python function on SQLite and ``LOWER``/``REPLACE`` on PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client

from tests.factories import EmployeeFactory, SubjectFactory, make_registered
from tunduk.core.search import MAX_QUERY, fold
from tunduk.registry import services
from tunduk.registry.filters import ElementFilter
from tunduk.registry.models import Element
from tunduk.registry.search_index import FTS_AVAILABLE, FTS_TABLE, ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def cyrillic(operator):
    """Registered elements named in Kyrgyz and Russian, of two subjects."""
    grs = SubjectFactory(
        name="Калкты каттоо департаменти",
        name_ru="Департамент регистрации населения",
        short_name="ДРН",
    )
    sts = SubjectFactory(
        name="Мамлекеттик салык кызматы", name_ru="Налоговая служба", short_name="ГНС"
    )
    clerk, auditor = EmployeeFactory(subject=grs), EmployeeFactory(subject=sts)
    return {
        "esi": make_registered(
            clerk,
            operator,
            full_name="Калкты идентификациялоонун бирдиктүү системасы",
            full_name_ru="Единая система идентификации населения",
            short_name="ЕСИ",
        ),
        "zags": make_registered(
            clerk,
            operator,
            full_name="«Акт жазуулары» маалыматтык системасы",
            full_name_ru="Учёт актовых записей",
            short_name="АИС ЗАГС",
        ),
        "salyk": make_registered(
            auditor,
            operator,
            full_name="«Салык» маалыматтык тутуму",
            full_name_ru="Учет налогоплательщиков «Салык»",
            short_name="ИСНА",
        ),
    }


def page_ids(client: Client, query: str) -> list[int]:
    response = client.get("/elements/", {"q": query})
    assert response.status_code == 200
    return [element.pk for element in response.context["elements"]]


def api_ids(query: str) -> list[int]:
    response = Client().get("/api/elements", {"q": query, "page_size": 200})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def export_ids(client: Client, query: str) -> list[int]:
    response = client.get("/elements/export.json", {"q": query})
    assert response.status_code == 200
    return [row["id"] for row in json.loads(b"".join(response.streaming_content))]


def found_everywhere(client: Client, query: str) -> set[int]:
    """The elements ``q`` finds, after checking that page, export and API agree."""
    on_page = page_ids(client, query)
    assert api_ids(query) == on_page, f"API differs from the page for {query!r}"
    assert export_ids(client, query) == on_page, f"export differs from the page for {query!r}"
    return set(on_page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Система", {"esi", "zags"}),  # as written (also inside Kyrgyz «системасы»)
        ("СИСТЕМА", {"esi", "zags"}),  # upper case (was 0 on SQLite)
        ("система идентификации", {"esi"}),
        ("еси", {"esi"}),  # the short name ЕСИ, lower case (was 0 on SQLite)
        ("СИСТЕМАСЫ", {"esi", "zags"}),  # Kyrgyz name, upper case
        ("бирдиктүү", {"esi"}),  # Kyrgyz letters match themselves
        ("БИРДИКТҮҮ", {"esi"}),
        ("бирдиктуу", set()),  # ...and are not read as Russian у
        ("учет", {"zags", "salyk"}),  # ё written as е finds «Учёт»
        ("УЧЁТ", {"zags", "salyk"}),  # ё finds «Учет»
        ("учёт  актовых", {"zags"}),  # spaces collapsed
        ("налоговая служба", {"salyk"}),  # the subject's Russian name
        ("САЛЫК КЫЗМАТЫ", {"salyk"}),  # the subject's Kyrgyz name
        ("гнс", {"salyk"}),  # the subject's short name
        ("ис", {"esi", "zags", "salyk"}),  # shorter than a trigram: still a substring
    ],
)
def test_cyrillic_search_ignores_case_and_yo_on_page_export_and_api(
    client: Client, cyrillic, query, expected
):
    """Issue 11 item 3, 001 art. 12.4: case and ё/е ignored in Kyrgyz and Russian, the same
    answer on the page, the export and the API."""
    names = {element.pk: key for key, element in cyrillic.items()}
    assert {names[pk] for pk in found_everywhere(client, query)} == expected


def matching(query: str) -> set[int]:
    """The ids ``ElementFilter`` finds among all elements (what the public sees aside)."""
    return set(ElementFilter(q=query).apply(Element.objects.all()).values_list("pk", flat=True))


def test_renamed_element_is_found_by_its_new_name_only(cyrillic):
    """000 §24: after a change the search index follows the record (FTS5 triggers on SQLite)."""
    element = cyrillic["esi"]
    services.update_element(
        EmployeeFactory(subject=element.subject),
        element,
        {"full_name_ru": "Государственный реестр населения"},
    )
    assert matching("РЕЕСТР НАСЕЛЕНИЯ") == {element.pk}
    assert matching("единая система") == set()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
@pytest.mark.skipif(not FTS_AVAILABLE, reason="SQLite older than 3.34 has no trigram tokenizer")
def test_lost_triggers_are_put_back_and_the_index_rebuilt(client: Client, cyrillic):
    """A SQLite table rebuild by a later migration drops the triggers; ``ensure`` (run after
    every migrate) puts them back and rebuilds the index from the table."""
    with connection.cursor() as cursor:
        for suffix in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER {FTS_TABLE}_{suffix}")
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    assert page_ids(client, "идентификации") == []  # the index is empty now
    ensure(connection)
    assert page_ids(client, "идентификации") == [cyrillic["esi"].pk]
    Element.objects.filter(pk=cyrillic["zags"].pk).update(search_text=fold("новое имя"))
    assert page_ids(client, "новое имя") == [cyrillic["zags"].pk]  # the triggers work again


HOSTILE_QUERIES = [
    '"',
    '""',
    '" OR "',
    "*",
    "сист*",
    "%",
    "_",
    "%_%",
    "NEAR(",
    "NEAR(система идентификации)",
    "система OR налог",
    "система AND NOT налог",
    "^система",
    "name: x",
    "'; DROP TABLE registry_element; --",
    "\\",
    "(",
    "{a b}",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_syntax_is_a_literal_never_an_error(client: Client, cyrillic, query):
    """Attacker: FTS5 syntax and LIKE wildcards in ``q`` are matched literally, never a 500,
    never everything."""
    assert found_everywhere(client, query) == set()


def test_wildcards_match_only_themselves(client: Client, cyrillic, operator):
    """Attacker: ``%`` and ``_`` find the element whose name has them, not every element."""
    clerk = EmployeeFactory(subject=cyrillic["esi"].subject)
    percent = make_registered(clerk, operator, full_name="Скидка 100% система", short_name="S%")
    underscore = make_registered(clerk, operator, full_name="snake_case тутуму", short_name="SC")
    assert found_everywhere(client, "%") == {percent.pk}
    assert found_everywhere(client, "100%") == {percent.pk}
    assert found_everywhere(client, "_") == {underscore.pk}
    assert found_everywhere(client, "e_c") == {underscore.pk}


def test_an_overlong_search_is_refused_by_name_on_page_and_api(client: Client, cyrillic):
    """Attacker: a 10 kB ``q`` gets a specific error naming the field, on the page (no rows)
    and in the API (422), never a 500 and never the whole list."""
    query = "система " * 1250  # 10,000 characters
    response = client.get("/elements/", {"q": query})
    assert response.status_code == 200
    assert list(response.context["elements"]) == []
    assert 'id="id_q-error"' in response.content.decode()
    answer = Client().get("/api/elements", {"q": query})
    assert answer.status_code == 422
    body = json.dumps(answer.json())
    assert "q" in body and str(MAX_QUERY) in body
    at_limit = Client().get("/api/elements", {"q": "с" * MAX_QUERY})
    assert at_limit.status_code == 200


def test_subject_list_search_is_folded_too(cyrillic):
    """Issue 11 item 3: ``GET /api/subjects?q=`` ignores case and ё in both names."""
    response = Client().get("/api/subjects", {"q": "НАЛОГОВАЯ"})
    assert [item["name_ru"] for item in response.json()["items"]] == ["Налоговая служба"]
    response = Client().get("/api/subjects", {"q": "каттоо"})
    assert [item["short_name"] for item in response.json()["items"]] == ["ДРН"]
