"""The area import pages: upload a spreadsheet of areas, download the sample file."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from linli.core.errors import ApplicationError
from linli.orgs import imports
from linli.orgs.imports.forms import AreaImportForm
from linli.orgs.models import AreaKind
from linli.orgs.permissions import can_import_areas

SAMPLE_FILE = (Path(__file__).resolve().parent.parent / "fixtures"
               / "area_import_sample.csv")


@login_required
def area_import(request):
    """Upload a spreadsheet of areas; shows the counts, or every problem by row."""
    if not can_import_areas(request.user):
        raise Http404
    posted = request.method == "POST"
    form = AreaImportForm(request.POST, request.FILES) if posted else AreaImportForm()
    context: dict = {"form": form, "max_mb": imports.MAX_BYTES // (1024 * 1024),
                     "max_rows": imports.MAX_ROWS}
    status = 200
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = imports.area_tree_import(
                actor=request.user, filename=upload.name or "",
                content=imports.upload_content(upload), check_only=form.check_only)
        except ApplicationError as exc:
            context["error"], context["problems"] = exc.message, exc.details or []
            status = exc.status
        else:
            context["report"] = report
            context["counts"] = [(AreaKind(k).label, report.created[k], report.reused[k])
                                 for k in imports.KINDS]
    elif posted:
        status = 400
    return render(request, "orgs/import.html", context, status=status)


@login_required
def area_import_sample(request):
    if not can_import_areas(request.user):
        raise Http404
    return FileResponse(SAMPLE_FILE.open("rb"), as_attachment=True,
                        filename="area_import_sample.csv", content_type="text/csv")
