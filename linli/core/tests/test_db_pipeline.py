"""core.db.pipelined: statements travel together; ids come at the end or when asked; an error
is Django's and the transaction rolls back as usual."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from linli.core.db import insert, pipelined
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_ids_come_at_the_end_of_the_block_or_when_asked():
    with pipelined() as pipe:
        first = insert(AuditEntry(action="pipeline.first"))
        second = insert(AuditEntry(action="pipeline.second"))
        assert first.pk is None and second.pk is None  # sent, not answered yet
        pipe.ids_now(first)
        assert first.pk is not None and second.pk is None
    assert second.pk is not None and second.pk > first.pk
    assert set(AuditEntry.objects.filter(action__startswith="pipeline.").values_list(
        "pk", flat=True)) == {first.pk, second.pk}
    assert not first._state.adding and first._state.db == "default"


@pytest.mark.postgres
def test_an_error_in_the_block_is_djangos_and_the_transaction_rolls_back():
    with pytest.raises(IntegrityError), transaction.atomic(), pipelined():
        insert(AuditEntry(action="pipeline.lost"))
        with connection.cursor() as cursor:
            for version in (1, 2):  # the second breaks the primary key
                cursor.execute("INSERT INTO linli_version (name, version) VALUES (%s, %s)",
                               ["pipeline-test", version])
    assert not AuditEntry.objects.filter(action="pipeline.lost").exists()
    insert(AuditEntry(action="pipeline.after"))  # the connection goes on as before
    assert AuditEntry.objects.filter(action="pipeline.after").count() == 1


@pytest.mark.postgres
def test_a_row_sent_in_a_broken_block_is_not_written_and_its_id_never_comes():
    row = AuditEntry(action="pipeline.after-error")
    with pytest.raises(IntegrityError), transaction.atomic(), pipelined():
        with connection.cursor() as cursor:
            for version in (1, 2):
                cursor.execute("INSERT INTO linli_version (name, version) VALUES (%s, %s)",
                               ["pipeline-test", version])
        insert(row)  # refused at once or at the end, whichever reads the results first
    assert row.pk is None
    assert not AuditEntry.objects.filter(action="pipeline.after-error").exists()


def test_where_there_is_no_pipeline_ids_come_at_once():
    # SQLite, and PostgreSQL while Django logs the queries (the log shows each one).
    with CaptureQueriesContext(connection) as log, pipelined() as pipe:
        row = insert(AuditEntry(action="pipeline.logged"))
        assert row.pk is not None
        pipe.ids_now(row)  # nothing pending: nothing to do
    assert any("core_auditentry" in query["sql"] for query in log.captured_queries)


@pytest.mark.postgres
def test_a_block_inside_a_block_is_the_outer_one():
    with pipelined() as outer:
        with pipelined() as inner:
            assert inner is outer
            row = insert(AuditEntry(action="pipeline.inner"))
            later = insert(AuditEntry(action="pipeline.later"))
            inner.ids_now(row)
            assert row.pk is not None
        assert later.pk is None  # the inner block's end is not the outer one's
    assert later.pk is not None
