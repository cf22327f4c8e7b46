"""Export jobs: asking for a spreadsheet, writing it, handing it over, clearing it away.

`export_request` asks the app's exporter to check the request (scope, filters) and counts
the rows. Up to EXPORT_SYNC_ROWS rows the job runs at once and the page answers with the
file; larger ones are queued (`core.export_job_run`) and the person follows the job's page.
When it runs, the job asks the exporter again as the person who requested it, so the file
holds only what they see at that moment. Every request, refusal and download is audited.

Files wait in DATA_DIR/private/exports (never under MEDIA_ROOT, never served by the web
server) for EXPORT_KEEP_HOURS after the job finished. Then the hourly `core.exports_cleanup`
deletes them; a download of an older file deletes it on the spot and answers "not found",
so an expired file is never handed out even where no scheduler runs.
"""

import logging
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from linli.core.exports.models import ExportJob, ExportState
from linli.core.exports.registry import Prepared, exporter
from linli.core.exports.writer import write_xlsx
from linli.core.tasks import enqueue

log = logging.getLogger(__name__)

MAX_PARAMETERS = 30
MAX_VALUE = 200


def export_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "private" / "exports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _clean_parameters(parameters: dict[str, str]) -> dict[str, str]:
    if len(parameters) > MAX_PARAMETERS or any(
            len(str(k)) > 32 or len(str(v)) > MAX_VALUE for k, v in parameters.items()):
        raise ValidationFailed(_("These filters are too long to export. Narrow the list "
                                 "with fewer or shorter filters."))
    return {str(k): str(v) for k, v in parameters.items()}


def _prepare(actor, kind: str, parameters: dict[str, str]) -> Prepared:
    prepare = exporter(kind)
    if prepare is None:
        raise NotFound(_("Not found."))
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to export."))
    return prepare(actor, parameters)


def _audit_refusal(actor, kind: str, exc: ApplicationError) -> None:
    with transaction.atomic():  # its own transaction: nothing else was written
        audit_record(actor=actor, action="export.refused", object_type="core.exportjob",
                     object_label=kind[:200], changes={"kind": kind, "code": exc.code})


def export_request(*, actor, kind: str, parameters: dict[str, str]) -> ExportJob:
    """Check and record the request; run it now when it is small, else queue it. Refusals
    are audited and raised (an ApplicationError whose message says why); nothing else is
    written then. The returned job is done (or failed) when it ran at once."""
    try:
        parameters = _clean_parameters(parameters)
        prepared = _prepare(actor, kind, parameters)
        total = prepared.count()
    except ApplicationError as exc:
        _audit_refusal(actor, kind, exc)
        raise
    at_once = total <= settings.EXPORT_SYNC_ROWS
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind, parameters=parameters, requested_by=actor, rows_total=total,
            language=translation.get_language() or "", area_path=prepared.area_path)
        audit_record(actor=actor, action="export.requested", obj=job,
                     area_path=prepared.area_path,
                     changes={"kind": kind, "rows": total, "filters": prepared.summary,
                              "background": not at_once})
        if not at_once:
            enqueue("core.export_job_run", job.pk)
    if at_once:
        export_job_run(job_id=job.pk)
        job.refresh_from_db()
    return job


# --- running a job ---------------------------------------------------------------------

def _save(job: ExportJob, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    ExportJob.objects.filter(pk=job.pk).update(**values)


def export_job_run(*, job_id: int) -> None:
    """Run a queued job once: a second call (a retried task) finds it claimed and returns."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING)
    if not claimed:
        return
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _run(job)


def _run(job: ExportJob) -> None:
    stored = f"{uuid.uuid4().hex}.xlsx"
    part = export_dir() / f"{stored}.part"
    try:
        prepared = _prepare(job.requested_by, job.kind, job.parameters)
        _save(job, rows_total=prepared.count())
        written = write_xlsx(part, title=prepared.filename, columns=prepared.columns,
                             rows=prepared.rows(),
                             progress=lambda done: _save(job, rows_done=done))
        part.chmod(0o600)
        part.rename(export_dir() / stored)
    except ApplicationError as exc:  # their scope changed since they asked
        part.unlink(missing_ok=True)
        _save(job, state=ExportState.FAILED, message=exc.message[:500],
              finished_at=timezone.now())
        return
    except Exception:  # the page must say it stopped; the log keeps the traceback
        log.exception("export job %s failed", job.pk)
        part.unlink(missing_ok=True)
        _save(job, state=ExportState.FAILED, finished_at=timezone.now(),
              message=_("The export stopped because of an internal error. Try again, or "
                        "narrow the list."))
        return
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    _save(job, state=ExportState.DONE, stored_name=stored, rows_done=written,
          rows_total=written, filename=f"{prepared.filename}-{stamp}.xlsx"[:200],
          finished_at=timezone.now())


# --- reading and handing over ----------------------------------------------------------

def export_job_get(*, actor, job_id: int) -> ExportJob:
    """The job, for the person who asked for it only: anyone else gets 404."""
    job = ExportJob.objects.filter(pk=job_id,
                                   requested_by_id=getattr(actor, "pk", None)).first()
    if job is None:
        raise Http404
    return job


def expired(job: ExportJob, now: datetime | None = None) -> bool:
    keep = timedelta(hours=settings.EXPORT_KEEP_HOURS)
    return job.finished_at is not None and job.finished_at < (now or timezone.now()) - keep


def _discard(job: ExportJob) -> None:
    if job.stored_name:
        (export_dir() / job.stored_name).unlink(missing_ok=True)
        _save(job, stored_name="")


def export_file(*, actor, job_id: int) -> tuple[Path, ExportJob]:
    """The finished file for its requester, audited; 404 for anyone else, for a job not
    done, and for a file past its time (deleted now if the sweep has not yet)."""
    job = export_job_get(actor=actor, job_id=job_id)
    if job.state != ExportState.DONE or not job.stored_name:
        raise Http404
    if expired(job):
        _discard(job)
        raise Http404
    path = export_dir() / job.stored_name
    if not path.exists():
        raise Http404
    audit_record(actor=actor, action="export.downloaded", obj=job, area_path=job.area_path,
                 changes={"kind": job.kind, "rows": job.rows_done})
    return path, job


def exports_cleanup(*, now: datetime | None = None) -> int:
    """Delete the files past their time, and give up on jobs stuck for a day (a worker
    that died): returns how many files went."""
    now = now or timezone.now()
    old = ExportJob.objects.filter(
        finished_at__lt=now - timedelta(hours=settings.EXPORT_KEEP_HOURS)).exclude(
        stored_name="")
    count = 0
    for job in old:
        _discard(job)
        count += 1
    ExportJob.objects.filter(state__in=[ExportState.QUEUED, ExportState.RUNNING],
                             created_at__lt=now - timedelta(days=1)).update(
        state=ExportState.FAILED, finished_at=now,
        message=_("The export did not finish. Ask for it again."))
    return count
