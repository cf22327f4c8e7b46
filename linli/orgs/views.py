import re
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from linli.core.errors import ApplicationError
from linli.orgs import importing, selectors
from linli.orgs.forms import AreaImportForm
from linli.orgs.models import Area, AreaKind
from linli.orgs.permissions import can_import_areas

SAMPLE_FILE = Path(__file__).resolve().parent / "fixtures" / "area_import_sample.csv"
TREE_LIMIT = 2000


def _natural_key(area: Area) -> tuple:
    """Siblings by code, then by name with numbers compared as numbers: 2栋 before 10栋."""
    parts = re.split(r"(\d+)", area.name)
    return (area.code or "~", [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts])


def in_tree_order(areas: list[Area]) -> list[Area]:
    """Depth first, siblings in natural order. Paths hold ids, so ordering by path puts
    siblings in the order they were created (第三网格 before 第一网格)."""
    ids = {a.pk for a in areas}
    children: dict[int | None, list[Area]] = {}
    for area in areas:
        # An area whose parent is not shown starts a tree of its own.
        children.setdefault(area.parent_id if area.parent_id in ids else None, []).append(area)
    ordered: list[Area] = []
    stack = sorted(children.get(None, []), key=_natural_key, reverse=True)
    while stack:
        area = stack.pop()
        ordered.append(area)
        stack.extend(sorted(children.get(area.pk, []), key=_natural_key, reverse=True))
    return ordered


@login_required
def tree(request):
    """The areas the user may see, as an indented tree (dwellings are left out: too many)."""
    areas = list(selectors.area_list(actor=request.user).exclude(kind="dwelling")
                 [:TREE_LIMIT + 1])
    return render(request, "orgs/tree.html", {
        "areas": in_tree_order(areas[:TREE_LIMIT]), "truncated": len(areas) > TREE_LIMIT,
        "limit": TREE_LIMIT, "can_import": can_import_areas(request.user)})


@login_required
def area_import(request):
    """Upload a spreadsheet of areas; shows the counts, or every problem by row."""
    if not can_import_areas(request.user):
        raise Http404
    posted = request.method == "POST"
    form = AreaImportForm(request.POST, request.FILES) if posted else AreaImportForm()
    context: dict = {"form": form, "max_mb": importing.MAX_BYTES // (1024 * 1024),
                     "max_rows": importing.MAX_ROWS}
    status = 200
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importing.area_tree_import(
                actor=request.user, filename=upload.name or "",
                content=importing.upload_content(upload))
        except ApplicationError as exc:
            context["error"], context["problems"] = exc.message, exc.details or []
            status = exc.status
        else:
            context["report"] = report
            context["counts"] = [(AreaKind(k).label, report.created[k], report.reused[k])
                                 for k in importing.KINDS]
    elif posted:
        status = 400
    return render(request, "orgs/import.html", context, status=status)


@login_required
def area_import_sample(request):
    if not can_import_areas(request.user):
        raise Http404
    return FileResponse(SAMPLE_FILE.open("rb"), as_attachment=True,
                        filename="area_import_sample.csv", content_type="text/csv")
