"""Pages for the residents spreadsheet: upload an import and follow its progress, download
the sample, and export the registers of one's areas.

The upload page queues a background job and sends the browser to the job's page, whose
progress fragment HTMX polls every second until the job is done or refused. Pages parse the
input, call `imports` / `exporting`, and render; the rules live there.
"""

from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from linli.core.errors import ApplicationError, PermissionDenied
from linli.core.forms import SpreadsheetImportForm
from linli.orgs.models import Area
from linli.people import exporting, imports, permissions
from linli.people.imports.reader import MAX_BYTES
from linli.people.models import CareTag


class ExportForm(forms.Form):
    # Any id is accepted here: an area outside the actor's own is the service's refusal
    # (audited), not a form error.
    area = forms.IntegerField(label=_("Area"), required=False, widget=forms.Select)
    tag = forms.TypedChoiceField(label=_("Care tag"), required=False, coerce=int,
                                 empty_value=None,
                                 help_text=_("A sensitive care tag needs a purpose too: the "
                                             "file shows who has it."))
    unmasked = forms.BooleanField(label=_("Full ID numbers and phones (needs a purpose)"),
                                  required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)

    def __init__(self, *args, areas=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        everywhere = [("", _("All my areas"))]
        self.fields["area"].widget = forms.Select(
            choices=everywhere + [(a.pk, str(a)) for a in areas])
        cast(forms.ChoiceField, self.fields["tag"]).choices = [("", _("Everyone"))] + [
            (t.pk, t.name) for t in tags]


def _require(condition: bool) -> None:
    if not condition:
        raise Http404


def _import_context(request, form: SpreadsheetImportForm, **extra) -> dict:
    return {"form": form, "jobs": imports.import_job_list(actor=request.user),
            "max_mb": MAX_BYTES // (1024 * 1024), "max_rows": imports.MAX_ROWS, **extra}


@never_cache
@login_required
def import_page(request):
    """Upload a residents workbook; the import runs as a job with its own page."""
    if request.method != "POST":
        _require(permissions.is_keeper(request.user))
        return render(request, "people/import.html",
                      _import_context(request, SpreadsheetImportForm()))
    form = SpreadsheetImportForm(request.POST, request.FILES)
    if not form.is_valid():
        _require(permissions.is_keeper(request.user))
        return render(request, "people/import.html", _import_context(request, form),
                      status=400)
    upload = form.cleaned_data["file"]
    try:
        # One byte over the limit is enough to refuse; the rest is never read.
        job = imports.import_job_create(actor=request.user, filename=upload.name or "",
                                        content=upload.read(MAX_BYTES + 1),
                                        check_only=form.check_only)
    except PermissionDenied:
        raise Http404 from None  # audited by the service; the page does not exist for them
    except ApplicationError as exc:
        return render(request, "people/import.html",
                      _import_context(request, form, error=exc, problems=exc.details or []),
                      status=exc.status)
    return redirect("people:import_job", job_id=job.pk)


@never_cache
@login_required
def import_job(request, job_id: int):
    job = imports.import_job_get(actor=request.user, job_id=job_id)
    return render(request, "people/import_job.html", {"job": job})


@never_cache
@login_required
def import_progress(request, job_id: int):
    """The fragment HTMX polls: it stops polling itself once the job has finished."""
    job = imports.import_job_get(actor=request.user, job_id=job_id)
    return render(request, "people/import_progress.html", {"job": job})


@login_required
def import_sample(request):
    _require(permissions.is_keeper(request.user))
    return _xlsx(exporting.sample_bytes(), "residents-sample.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exporting.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _export_form(request, data=None) -> ExportForm:
    return ExportForm(data, areas=exporting.export_areas(actor=request.user),
                      tags=CareTag.objects.all())


@never_cache
@login_required
def export_page(request):
    """Choose what to export; a POST downloads the workbook (or says why not)."""
    if request.method != "POST":
        _require(permissions.is_registry_staff(request.user))
        return render(request, "people/export.html", {"form": _export_form(request)})
    form = _export_form(request, request.POST)
    if not form.is_valid():
        _require(permissions.is_registry_staff(request.user))
        return render(request, "people/export.html", {"form": form}, status=400)
    data = form.cleaned_data
    area = Area.objects.filter(pk=data["area"]).first() if data["area"] else None
    tag = CareTag.objects.filter(pk=data["tag"]).first() if data["tag"] else None
    try:
        result = exporting.resident_export(actor=request.user, area=area, tag=tag,
                                           unmasked=data["unmasked"], purpose=data["purpose"])
    except ApplicationError as exc:
        _require(permissions.is_registry_staff(request.user))  # audited by the service
        return render(request, "people/export.html", {"form": form, "error": exc},
                      status=exc.status)
    return _xlsx(result.content, result.filename)
