"""Importing residents from a spreadsheet (.xlsx with Chinese titles, see `people/sheet.py`).

`resident_import` checks the whole file first (`check.plan_file`) and writes only if
every row is right: households and residents in one transaction (`write`), each ID
number and phone as AES-GCM ciphertext plus a keyed hash. Every attempt is audited: an
`AuditEntry` for the import or its refusal, and an `AccessLog` refusal for each community
the file tried to write outside the importer's areas.

Large files run in the background: `import_job_create` stores the upload in a private folder
and queues the task `people.resident_import_run` by name (so this module need not import
`people/tasks.py`, which imports it), which calls `import_job_run`; the job row records
its state and progress for the page to poll. Without a broker the task runs in-process right
after the upload commits.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.core.audit import audit_record
from linli.core.errors import ApplicationError, PermissionDenied
from linli.core.tasks import enqueue
from linli.orgs.imports.reader import ImportRejected, RowProblem
from linli.orgs.paths import common_path
from linli.people import permissions
from linli.people.imports.check import Plan, Progress, plan_file
from linli.people.imports.reader import MAX_BYTES, MAX_ROWS, check_upload
from linli.people.imports.write import registry_write
from linli.people.models import ImportJob, ImportState, Outcome
from linli.people.services import access_record

__all__ = ["MAX_BYTES", "MAX_ROWS", "ImportReport", "import_job_create", "import_job_get",
           "import_job_list", "import_job_run", "resident_import"]

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    rows: int
    households_created: int
    residents_created: int
    check_only: bool = False  # a dry run: every row is right, and nothing was written

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "households_created": self.households_created,
                "residents_created": self.residents_created}


# --- the import itself -----------------------------------------------------------------

def _refused(plan: Plan) -> ImportRejected:
    only_scope = not plan.problems
    return ImportRejected(plan.problems + plan.denied, status=403 if only_scope else 400,
                          code="forbidden_rows" if only_scope else "")


def _audit_refusal(actor, filename: str, exc: ApplicationError,
                   denied_paths: set[str]) -> None:
    """The refusal is recorded in a transaction of its own: nothing else was written."""
    problems = getattr(exc, "problems", None)
    with transaction.atomic():
        audit_record(actor=actor, action="resident.import_refused",
                     object_type="people.resident", object_label=filename[:200],
                     changes={"code": exc.code, "problems": len(problems or []) or 1})
        for path in sorted(denied_paths):
            access_record(actor=actor, resident=None, field="import", outcome=Outcome.REFUSED,
                          area_path=path)


def resident_import(*, actor, filename: str, content: bytes, progress: Progress | None = None,
                    today: date | None = None, check_only: bool = False) -> ImportReport:
    """Check every row, then register them all, or nothing. With `check_only` (the page's
    "check only"), stop after the check: the same problems by row, and nothing written.

    Raises ImportRejected listing every problem by row and column (403 when the only
    problems are dwellings outside the actor's areas), PermissionDenied for someone who
    keeps no registers. Refusals are audited in their own transaction, so do not call this
    inside a transaction that the caller rolls back on error.
    """
    plan = Plan()
    try:
        if not permissions.is_keeper(actor):
            raise PermissionDenied(_("Only grid workers, dispatchers and administrators "
                                     "import residents."))
        check_upload(filename, len(content))
        plan = plan_file(actor=actor, content=content, progress=progress,
                         today=today or timezone.localdate())
        if plan.problems or plan.denied:
            raise _refused(plan)
        if check_only:
            return _checked(actor, filename, plan)
        if progress is not None:
            progress(-1, len(plan.people))  # checked: now writing
        with transaction.atomic():
            households, residents = registry_write(plan.people)
            audit_record(actor=actor, action="resident.imported", object_type="people.resident",
                         object_label=filename[:200],
                         area_path=common_path([p.dwelling_path for p in plan.people]),
                         changes={"rows": plan.rows, "households_created": households,
                                  "residents_created": residents})
    except ApplicationError as exc:
        _audit_refusal(actor, filename, exc, plan.denied_paths)
        raise
    return ImportReport(rows=plan.rows, households_created=households,
                        residents_created=residents)


def _checked(actor, filename: str, plan: Plan) -> ImportReport:
    """A dry run that found nothing wrong: audited (the file held personal data and was
    read), nothing else written."""
    audit_record(actor=actor, action="resident.import_checked", object_type="people.resident",
                 object_label=filename[:200],
                 area_path=common_path([p.dwelling_path for p in plan.people]),
                 changes={"rows": plan.rows})
    return ImportReport(rows=plan.rows, households_created=0, residents_created=0,
                        check_only=True)


# --- background jobs -------------------------------------------------------------------

def import_dir() -> Path:
    """Uploads wait here, outside MEDIA_ROOT (never served), until their job ends."""
    folder = Path(settings.DATA_DIR) / "private" / "people-imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def import_job_create(*, actor, filename: str, content: bytes,
                      check_only: bool = False) -> ImportJob:
    """Store the upload privately and queue its import (or, `check_only`, its check).
    Refuses at once (audited) what needs no reading: someone who keeps no registers, a
    file too large or not named .xlsx."""
    filename = Path(filename or "").name[:200] or "upload.xlsx"
    try:
        if not permissions.is_keeper(actor):
            raise PermissionDenied(_("Only grid workers, dispatchers and administrators "
                                     "import residents."))
        check_upload(filename, len(content))
    except ApplicationError as exc:
        _audit_refusal(actor, filename, exc, set())
        raise
    return _job_store(actor, filename, content, check_only)


@transaction.atomic
def _job_store(actor, filename: str, content: bytes, check_only: bool) -> ImportJob:
    stored = f"{uuid.uuid4().hex}.xlsx"
    path = import_dir() / stored
    path.write_bytes(content)
    path.chmod(0o600)
    job = ImportJob.objects.create(created_by=actor, filename=filename, stored_name=stored,
                                   size=len(content), check_only=check_only,
                                   language=translation.get_language() or "")
    enqueue("people.resident_import_run", job.pk)
    return job


class _Recorder:
    """Saves the job's progress at most every PROGRESS_EVERY rows (each save commits)."""

    def __init__(self, job: ImportJob):
        self.job = job

    def __call__(self, done: int, total: int) -> None:
        if done < 0:
            self._save(state=ImportState.WRITING, rows_total=total, rows_done=total)
        else:
            self._save(rows_done=done, rows_total=total)

    def _save(self, **values) -> None:
        for name, value in values.items():
            setattr(self.job, name, value)
        ImportJob.objects.filter(pk=self.job.pk).update(updated_at=timezone.now(), **values)


def _finish(job: ImportJob, **values) -> None:
    values |= {"finished_at": timezone.now(), "updated_at": timezone.now()}
    ImportJob.objects.filter(pk=job.pk).update(**values)


def _failure(exc: ApplicationError) -> dict[str, Any]:
    details = exc.details if isinstance(exc.details, list) else []
    if not details:
        details = [RowProblem(1, "", exc.message).as_dict()]
    return {"state": ImportState.FAILED, "message": exc.message[:500], "errors": details}


def import_job_run(*, job_id: int) -> None:
    """Run a queued job once: a second call (a retried task) finds it claimed and returns."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportState.QUEUED).update(
        state=ImportState.VALIDATING, updated_at=timezone.now())
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _run(job)


def _run(job: ImportJob) -> None:
    path = import_dir() / job.stored_name
    try:
        report = resident_import(actor=job.created_by, filename=job.filename,
                                 content=path.read_bytes(), progress=_Recorder(job),
                                 check_only=job.check_only)
    except ApplicationError as exc:
        _finish(job, **_failure(exc))
    except Exception:  # the page must say it stopped; the log keeps the traceback
        log.exception("resident import job %s failed", job.pk)
        _finish(job, state=ImportState.FAILED, errors=[], message=_(
            "The import stopped because of an internal error; nothing was imported."))
    else:
        if report.check_only:
            _finish(job, state=ImportState.DONE, rows_done=report.rows, rows_total=report.rows,
                    message=ngettext(
                        "Checked %(n)d row: it is right. Nothing was imported.",
                        "Checked %(n)d rows: all are right. Nothing was imported.",
                        report.rows) % {"n": report.rows})
            return
        _finish(job, state=ImportState.DONE, rows_done=report.rows, rows_total=report.rows,
                households_created=report.households_created,
                residents_created=report.residents_created,
                message=ngettext("Imported %(n)d resident.", "Imported %(n)d residents.",
                                 report.residents_created) % {"n": report.residents_created})
    finally:
        path.unlink(missing_ok=True)


# --- reads -----------------------------------------------------------------------------

def import_job_list(*, actor, limit: int = 10) -> list[ImportJob]:
    """The actor's own recent imports: a job's errors are for whoever uploaded the file."""
    if not permissions.is_keeper(actor):
        return []
    return list(ImportJob.objects.filter(created_by=actor)[:limit])


def import_job_get(*, actor, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, created_by_id=getattr(actor, "pk", None)).first()
    if job is None:
        raise Http404
    return job
