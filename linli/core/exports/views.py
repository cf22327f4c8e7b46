"""The export pages: the request (a form post from a list page), the job's page with its
progress fragment that HTMX polls, and the download. The rules live in `services`."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from linli.core.errors import ApplicationError
from linli.core.exports import services
from linli.core.exports.models import ExportState
from linli.core.redirects import local_url
from linli.core.refusals import render_refused

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NOT_PARAMETERS = {"csrfmiddlewaretoken", "next"}


def _file(path, filename: str) -> FileResponse:
    response = FileResponse(path.open("rb"), as_attachment=True, filename=filename,
                            content_type=XLSX_TYPE)
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def export_new(request, kind: str):
    """A list page's 导出 Excel button: the file at once when small, else the job's page."""
    back = local_url(request, request.POST.get("next"), reverse("core:home"))
    parameters = {k: request.POST.get(k, "") for k in request.POST if k not in _NOT_PARAMETERS}
    try:
        job = services.export_request(actor=request.user, kind=kind, parameters=parameters)
    except ApplicationError as exc:
        return render_refused(request, exc, back)
    if job.state == ExportState.DONE:
        path, job = services.export_file(actor=request.user, job_id=job.pk)
        return _file(path, job.filename)
    url = reverse("core:export_job", args=[job.pk])
    return redirect(f"{url}?{urlencode({'next': back})}")


def _back(request) -> str:
    return local_url(request, request.GET.get("next"), reverse("core:home"))


@never_cache
@login_required
def export_job(request, job_id: int):
    job = services.export_job_get(actor=request.user, job_id=job_id)
    return render(request, "core/export_job.html", {
        "job": job, "back": _back(request), "expired": services.expired(job),
        "keep_hours": settings.EXPORT_KEEP_HOURS})


@never_cache
@login_required
def export_progress(request, job_id: int):
    """The fragment HTMX polls: it stops polling itself once the job has finished."""
    job = services.export_job_get(actor=request.user, job_id=job_id)
    return render(request, "core/export_progress.html", {
        "job": job, "expired": services.expired(job),
        "keep_hours": settings.EXPORT_KEEP_HOURS})


@never_cache
@login_required
def export_download(request, job_id: int):
    path, job = services.export_file(actor=request.user, job_id=job_id)
    return _file(path, job.filename)
