"""Background import jobs and the import pages: upload, progress states, polling, who sees
what, and the private file."""

import stat

import pytest
from django.urls import reverse
from django.utils import translation

from linli.core.models import AuditEntry
from linli.orgs.imports.reader import ImportRejected
from linli.people import imports as importing
from linli.people.imports import ImportReport, import_job_create, import_job_run
from linli.people.imports.reader import MAX_BYTES
from linli.people.models import ImportJob, ImportState, Resident
from linli.people.tests.sheets import PLACE_B, row, xlsx
from linli.people.tests.test_import import family


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "private" / "people-imports"


def _queued(actor, rows) -> ImportJob:
    """A job stored and queued, its task not yet run (no commit inside the test)."""
    return import_job_create(actor=actor, filename="家庭.xlsx", content=xlsx(rows))


def test_upload_is_stored_privately_then_run_after_commit(world, private_dir, settings,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _queued(world.alice, family())
    stored = private_dir / job.stored_name
    assert (job.state, job.filename, job.created_by) == ("queued", "家庭.xlsx", world.alice)
    assert stored.exists() and stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    assert len(callbacks) == 1 and Resident.objects.count() == 0
    callbacks[0]()
    job.refresh_from_db()
    assert (job.state, job.rows_total, job.rows_done) == ("done", 3, 3)
    assert (job.residents_created, job.households_created) == (3, 1)
    assert job.finished_at is not None and job.errors == []
    assert Resident.objects.count() == 3
    assert not stored.exists()  # the clear ID numbers do not stay on disk


def test_job_runs_once_even_if_the_task_is_retried(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _queued(world.alice, family())
    import_job_run(job_id=job.pk)
    assert Resident.objects.count() == 3
    assert AuditEntry.objects.filter(action="resident.imported").count() == 1


def test_refused_job_keeps_the_problems_by_row(world, django_capture_on_commit_callbacks):
    rows = family()
    rows[1][5] = "999"
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        job = _queued(world.alice, rows)
    job.refresh_from_db()
    assert job.language == "en"
    assert job.state == "failed" and job.residents_created == 0
    assert [(p["row"], p["column"]) for p in job.errors] == [(3, "房屋")]
    assert "nothing was imported" in job.message
    assert Resident.objects.count() == 0


def test_progress_goes_through_every_state(world, monkeypatch):
    job = ImportJob.objects.create(created_by=world.alice, filename="a.xlsx",
                                   stored_name="missing.xlsx")
    importing.import_dir().joinpath("missing.xlsx").write_bytes(b"PK")
    seen = []

    def state() -> tuple:
        fresh = ImportJob.objects.get(pk=job.pk)
        return fresh.state, fresh.rows_done, fresh.rows_total

    def fake_import(*, actor, filename, content, progress, check_only=False):
        seen.append(state())
        progress(1000, 2500)
        seen.append(state())
        progress(2000, 2500)
        seen.append(state())
        progress(-1, 2500)
        seen.append(state())
        return ImportReport(rows=2500, households_created=900, residents_created=2500)

    monkeypatch.setattr(importing, "resident_import", fake_import)
    import_job_run(job_id=job.pk)
    assert seen == [("validating", 0, 0), ("validating", 1000, 2500),
                    ("validating", 2000, 2500), ("writing", 2500, 2500)]
    assert state() == ("done", 2500, 2500)


def test_large_file_reports_progress_while_checking(world, monkeypatch,
                                                     django_capture_on_commit_callbacks):
    calls = []
    original = importing._Recorder.__call__

    def recording(self, done: int, total: int) -> None:
        calls.append((done, total))
        original(self, done, total)

    monkeypatch.setattr(importing._Recorder, "__call__", recording)
    rows = [row(head=f"户主{i}", name=f"户主{i}") for i in range(2100)]
    with django_capture_on_commit_callbacks(execute=True):
        job = _queued(world.alice, rows)
    assert calls == [(1000, 2100), (2000, 2100), (-1, 2100)]
    job.refresh_from_db()
    assert (job.state, job.residents_created, job.households_created) == ("done", 2100, 2100)


def test_job_that_crashes_is_marked_failed(world, monkeypatch):
    job = ImportJob.objects.create(created_by=world.alice, filename="a.xlsx",
                                   stored_name="x.xlsx", language="en")
    importing.import_dir().joinpath("x.xlsx").write_bytes(b"PK")
    monkeypatch.setattr(importing, "resident_import", lambda **kw: 1 / 0)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and "internal error" in job.message


def test_oversized_or_misnamed_upload_is_refused_at_once(world):
    with pytest.raises(ImportRejected) as caught:
        import_job_create(actor=world.alice, filename="big.xlsx", content=b"0" * (MAX_BYTES + 1))
    assert caught.value.code == "too_large"
    with pytest.raises(ImportRejected) as caught:
        import_job_create(actor=world.alice, filename="list.csv", content=b"a,b")
    assert caught.value.code == "not_xlsx"
    assert ImportJob.objects.count() == 0
    assert AuditEntry.objects.filter(action="resident.import_refused").count() == 2


# --- pages ---------------------------------------------------------------------------------

URL = reverse("people:import")


def test_import_page_is_for_keepers_only(client, world):
    assert client.get(URL).status_code == 302
    for who in (world.uma, world.rita, world.leo, world.nobody):
        client.force_login(who)
        assert client.get(URL).status_code == 404, who.username
    client.force_login(world.alice)
    page = client.get(URL)
    assert page.status_code == 200
    assert "户主姓名" in page.content.decode() and "import-form" in page.content.decode()


def test_upload_runs_and_shows_the_counts(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.alice)
    upload = _upload(family())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": upload, "mode": "import"})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-done"' in page and 'data-state="done"' in page
    assert "every 1s" not in page  # finished: no more polling
    assert Resident.objects.count() == 3


def test_refused_upload_lists_the_rows(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"file": _upload([row(PLACE_B, head="赵博")])})
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-failed"' in page and "<td>2</td><td>房屋</td>" in page


def test_progress_fragment_polls_until_finished(client, world):
    job = ImportJob.objects.create(created_by=world.alice, filename="a.xlsx",
                                   state=ImportState.VALIDATING, rows_done=1000,
                                   rows_total=4000)
    client.force_login(world.alice)
    url = reverse("people:import_progress", args=[job.pk])
    fragment = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="1000" max="4000"' in fragment
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.WRITING)
    assert "every 1s" in client.get(url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(state=ImportState.DONE, residents_created=7)
    fragment = client.get(url).content.decode()
    assert "every 1s" not in fragment and 'data-state="done"' in fragment


def test_a_job_is_seen_only_by_whoever_uploaded_it(client, world):
    job = ImportJob.objects.create(created_by=world.alice, filename="a.xlsx")
    for who in (world.bob, world.ada, world.gina, world.rita):
        client.force_login(who)
        assert client.get(reverse("people:import_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("people:import_progress", args=[job.pk])).status_code == 404


def test_upload_by_someone_without_registry_is_refused_and_audited(client, world):
    client.force_login(world.uma)
    assert client.post(URL, {"file": _upload(family()), "mode": "import"}).status_code == 404
    assert ImportJob.objects.count() == 0
    assert AuditEntry.objects.get(action="resident.import_refused").actor == world.uma


def test_sample_file_imports_cleanly(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("people:import_sample"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    report = importing.resident_import(actor=world.alice, filename="s.xlsx", content=content)
    assert report.residents_created == 2
    client.force_login(world.uma)
    assert client.get(reverse("people:import_sample")).status_code == 404


def test_sample_keeps_numbers_typed_into_it_as_text(client, world):
    """Someone fills the sample in Excel: an ID number typed into its column must stay text
    (as a number Excel keeps 15 digits), so the sample's ID and phone columns are text."""
    import io

    from openpyxl import load_workbook

    client.force_login(world.alice)
    book = load_workbook(io.BytesIO(client.get(reverse("people:import_sample")).content))
    columns = book.active.column_dimensions
    assert columns["J"].number_format == "@" and columns["K"].number_format == "@"
    assert columns["A"].number_format == "General"


def _upload(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("residents.xlsx", xlsx(rows))
