"""The documents' search by title and number (``registers`` migration
``0020_document_search_trigram``): on PostgreSQL trigram indexes answer the very query Django
writes for the admin's search; on SQLite, which has none, the search works as before."""

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from registers.models import Document
from tests.factories import make_document, make_unit

INDEXES = {"registers_document_title_trgm", "registers_document_number_trgm"}
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigram indexes exist on PostgreSQL only"
)


def searched(client, text: str) -> list[Document]:
    response = client.get(reverse("admin:registers_document_changelist"), {"q": text})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_the_search_finds_by_title_and_number_whatever_the_case(client, office):
    rules = make_document(make_unit(), title="城市道路管理办法")
    notice = make_document(make_unit(), title="关于春节值班的通知", number="XA政办〔2017〕3号")
    client.force_login(office)
    assert searched(client, "管理办法") == [rules]
    assert searched(client, "办法") == [rules]  # two characters: no trigram, still found
    assert searched(client, "xa政办") == [notice]
    assert searched(client, "没有这个词") == []


@on_postgresql
def test_the_trigram_indexes_answer_djangos_search(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'registers_document'")
        assert INDEXES <= {name for (name,) in cursor.fetchall()}
        # Too few rows here for the planner to prefer the trigram indexes: it is told to read
        # neither the whole table nor another index in order (the list's own index would
        # otherwise do, filtering every row), which leaves the indexes that answer the search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    search = Q(title__icontains="管理办法") | Q(number__icontains="管理办法")
    plan = Document.objects.filter(search).explain()
    for index in INDEXES:
        assert index in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_gets_no_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        assert not INDEXES & {name for (name,) in cursor.fetchall()}
