"""The export machinery (core/exports) with a made-up exporter: the xlsx it writes, the small
export answered at once, the large one in the background with its progress page, who may
download, refusals, audit and the clearing of old files."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from linli.core.errors import PermissionDenied
from linli.core.exports import services
from linli.core.exports.models import ExportJob, ExportState
from linli.core.exports.registry import Column, Kind, Prepared, register
from linli.core.exports.writer import write_xlsx
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NOON_UTC = datetime(2026, 12, 6, 4, 30, tzinfo=UTC)  # 12:30 in Shanghai
COLUMNS = (Column("No.", Kind.NUMBER, 6), Column("Text", Kind.TEXT, 30),
           Column("At", Kind.DATETIME, 17))


def _rows(n: int):
    return [[i, f"=HYPERLINK(\"http://x\",\"{i}\")" if i == 1 else f"0{i}", NOON_UTC]
            for i in range(1, n + 1)]


def _prepare(actor, parameters: dict[str, str]) -> Prepared:
    if parameters.get("area") == "foreign":
        raise PermissionDenied("Not your area.", code="out_of_scope")
    n = int(parameters.get("n", "3"))
    return Prepared(columns=COLUMNS, count=lambda: n, rows=lambda: iter(_rows(n)),
                    filename="test-list", area_path="/1/", summary=dict(parameters))


register("test-list", _prepare)


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _read(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _post(client, user, **parameters):
    client.force_login(user)
    client.cookies["linli_language"] = "en"
    return client.post("/exports/new/test-list/", {"next": "/cases/queue/", **parameters})


# --- the file --------------------------------------------------------------------------

def test_the_file_has_titles_widths_local_dates_and_text_never_a_formula(tmp_path):
    path = tmp_path / "out.xlsx"
    assert write_xlsx(path, title="test", columns=COLUMNS, rows=_rows(2)) == 2
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["No.", "Text", "At"]
    assert sheet.column_dimensions["B"].width == 30
    first, second = sheet[2], sheet[3]
    assert first[0].value == 1 and first[0].data_type == "n"
    assert first[1].data_type == "s" and first[1].value.startswith("=HYPERLINK")
    assert second[1].value == "02"  # a leading zero survives: text stays text
    assert first[2].value == datetime(2026, 12, 6, 12, 30)  # a real date, Shanghai time
    assert first[2].number_format == "yyyy-mm-dd hh:mm"


def test_progress_is_saved_while_writing(tmp_path, monkeypatch):
    from linli.core.exports import writer

    monkeypatch.setattr(writer, "PROGRESS_EVERY", 2)
    seen: list[int] = []
    write_xlsx(tmp_path / "p.xlsx", title="t", columns=COLUMNS, rows=_rows(5),
               progress=seen.append)
    assert seen == [2, 4]


# --- small: at once ----------------------------------------------------------------------

def test_a_small_export_answers_with_the_file_and_is_audited(client, world):
    response = _post(client, world.alice, n="3")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store, private"
    sheet = _read(b"".join(response.streaming_content))
    assert sheet.max_row == 4
    job = ExportJob.objects.get()
    assert (job.state, job.rows_done, job.requested_by, job.language) == (
        ExportState.DONE, 3, world.alice, "en")
    assert job.filename.startswith("test-list-") and job.filename.endswith(".xlsx")
    actions = list(AuditEntry.objects.filter(object_type="core.exportjob").order_by("id")
                   .values_list("action", "area_path"))
    assert actions == [("export.requested", "/1/"), ("export.downloaded", "/1/")]
    requested = AuditEntry.objects.get(action="export.requested")
    assert requested.changes == {"kind": "test-list", "rows": 3, "background": False,
                                 "filters": {"n": "3"}}
    # The file sits in the private folder, never under MEDIA_ROOT.
    assert (services.export_dir() / job.stored_name).exists()


def test_anonymous_is_sent_to_login_and_nothing_is_made(client):
    response = client.post("/exports/new/test-list/", {"n": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ExportJob.objects.exists()


def test_a_get_does_not_export(client, world):
    client.force_login(world.alice)
    assert client.get("/exports/new/test-list/").status_code == 405
    assert not ExportJob.objects.exists()


def test_a_refusal_says_why_is_audited_and_makes_no_job(client, world):
    response = _post(client, world.alice, area="foreign")
    assert response.status_code == 403
    assert "Not your area." in response.content.decode()
    assert 'href="/cases/queue/"' in response.content.decode()  # the way back
    assert not ExportJob.objects.exists()
    entry = AuditEntry.objects.get(action="export.refused")
    assert entry.changes == {"kind": "test-list", "code": "out_of_scope"}


def test_an_unknown_kind_is_not_found(client, world):
    client.force_login(world.alice)
    assert client.post("/exports/new/nothing/", {}).status_code == 404
    assert not ExportJob.objects.exists()


def test_overlong_filters_are_refused(client, world):
    response = _post(client, world.alice, q="x" * 300)
    assert response.status_code == 400
    assert not ExportJob.objects.exists()


# --- large: in the background --------------------------------------------------------------

def test_a_large_export_runs_in_the_background_with_progress(client, world, settings,
                                                              django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_ROWS = 2
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _post(client, world.alice, n="5")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exports/{job.pk}/?next=%2Fcases%2Fqueue%2F"
    assert len(queued) == 1  # the task, once the request commits
    assert job.state == ExportState.QUEUED
    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="/exports/{job.pk}/progress/"' in page
    assert 'href="/cases/queue/"' in page
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING, rows_done=2)
    fragment = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert "2 of 5" in fragment and "hx-trigger" in fragment
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.QUEUED, rows_done=0)
    queued[0]()  # the worker runs it
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total) == (ExportState.DONE, 5, 5)
    done = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in done and f"/exports/{job.pk}/download/" in done
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert _read(b"".join(download.streaming_content)).max_row == 6
    assert AuditEntry.objects.get(action="export.requested").changes["background"] is True
    assert AuditEntry.objects.filter(action="export.downloaded").count() == 1


def test_a_job_runs_once(world):
    job = ExportJob.objects.create(kind="test-list", parameters={"n": "2"},
                                   requested_by=world.alice)
    services.export_job_run(job_id=job.pk)
    stored = ExportJob.objects.get(pk=job.pk).stored_name
    services.export_job_run(job_id=job.pk)  # a retried task
    assert ExportJob.objects.get(pk=job.pk).stored_name == stored


def test_a_job_whose_scope_went_away_fails_with_the_reason(world):
    job = ExportJob.objects.create(kind="test-list", parameters={"area": "foreign"},
                                   requested_by=world.alice)
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.message, job.stored_name) == (ExportState.FAILED,
                                                         "Not your area.", "")
    assert list(services.export_dir().iterdir()) == []


def test_an_internal_error_fails_the_job_and_leaves_no_file(world, monkeypatch):
    from linli.core.exports import services as module

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "write_xlsx", broken)
    job = ExportJob.objects.create(kind="test-list", requested_by=world.alice, language="en")
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ExportState.FAILED and "internal error" in job.message
    assert list(services.export_dir().iterdir()) == []


# --- who gets the file -------------------------------------------------------------------

def _done_job(user) -> ExportJob:
    job = ExportJob.objects.create(kind="test-list", parameters={"n": "2"}, requested_by=user)
    services.export_job_run(job_id=job.pk)
    return ExportJob.objects.get(pk=job.pk)


@pytest.mark.parametrize("suffix", ["", "progress/", "download/"])
def test_only_the_requester_sees_the_job_and_its_file(client, world, suffix):
    job = _done_job(world.alice)
    for other in (world.bob, world.leo, world.rita):
        client.force_login(other)
        assert client.get(f"/exports/{job.pk}/{suffix}").status_code == 404
    client.logout()
    assert client.get(f"/exports/{job.pk}/{suffix}").status_code == 302
    assert not AuditEntry.objects.filter(action="export.downloaded").exists()


def test_a_file_past_its_time_is_deleted_on_access(client, world, settings):
    job = _done_job(world.alice)
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timedelta(hours=settings.EXPORT_KEEP_HOURS + 1))
    client.force_login(world.alice)
    client.cookies["linli_language"] = "en"
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert ExportJob.objects.get(pk=job.pk).stored_name == ""
    assert not (services.export_dir() / job.stored_name).exists()
    assert "has been deleted" in client.get(f"/exports/{job.pk}/").content.decode()


def test_the_sweep_deletes_old_files_and_gives_up_stuck_jobs(world, settings):
    fresh, old = _done_job(world.alice), _done_job(world.alice)
    later = timezone.now() + timedelta(hours=settings.EXPORT_KEEP_HOURS, minutes=1)
    ExportJob.objects.filter(pk=fresh.pk).update(finished_at=later - timedelta(hours=1))
    stuck = ExportJob.objects.create(kind="test-list", requested_by=world.alice)
    ExportJob.objects.filter(pk=stuck.pk).update(created_at=later - timedelta(days=2))
    assert services.exports_cleanup(now=later) == 1
    assert ExportJob.objects.get(pk=fresh.pk).stored_name == fresh.stored_name
    assert ExportJob.objects.get(pk=old.pk).stored_name == ""
    assert not (services.export_dir() / old.stored_name).exists()
    assert ExportJob.objects.get(pk=stuck.pk).state == ExportState.FAILED


def test_the_sweep_is_on_the_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["core.exports_cleanup"]["task"] == \
        "core.exports_cleanup"
