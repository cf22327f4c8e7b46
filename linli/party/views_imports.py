"""The xlsx import page of organisations and members (`org_import`) and its template."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from linli.core.errors import ApplicationError
from linli.core.forms import SpreadsheetImportForm
from linli.party import imports, permissions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def org_import(request):
    if not permissions.is_party_staff(request.user):
        raise Http404
    form = SpreadsheetImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["report"] = imports.party_import(
                actor=request.user, content=upload.read(imports.MAX_BYTES + 1),
                filename=upload.name, check_only=form.check_only)
        except ApplicationError as exc:
            context["error"] = exc
            status = exc.status
    return render(request, "party/orgs/import.html", context, status=status)


@login_required
@require_GET
def org_import_template(request):
    if not permissions.is_party_staff(request.user):
        raise Http404
    response = HttpResponse(imports.template_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="party-import.xlsx"'
    return response


urlpatterns = [
    path("orgs/import/", org_import, name="org_import"),
    path("orgs/import/template/", org_import_template, name="org_import_template"),
]
