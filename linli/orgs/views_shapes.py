"""Area shapes in the staff pages: draw one area's shape (paste or upload GeoJSON, with a
map preview) and import many from a GeoJSON or KML file, checked first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core.errors import ApplicationError, ValidationFailed
from linli.orgs import geometry, selectors
from linli.orgs.forms import ShapeForm, ShapeImportForm
from linli.orgs.imports.shapes import MAX_BYTES, area_shapes_import
from linli.orgs.models import Area, AreaKind
from linli.orgs.permissions import can_edit_shape
from linli.orgs.shapes import NO_SHAPE_KINDS, area_shape_clear, area_shape_set, area_shapes


def _editable(request, area_id: int) -> Area:
    area = selectors.area_get(actor=request.user, area_id=area_id)
    if not can_edit_shape(request.user, area) or area.kind in NO_SHAPE_KINDS:
        raise Http404  # as the import pages: what a person may not do is not offered
    return area


def _posted_geometry(form: ShapeForm):
    upload = form.cleaned_data.get("file")
    if upload is not None:
        if upload.size > MAX_BYTES:
            raise ValidationFailed(_("The file is larger than %(n)d MB.") % {
                "n": MAX_BYTES // (1024 * 1024)})
        try:
            return geometry.parse_json(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationFailed(_("The file is not GeoJSON text.")) from None
    text = (form.cleaned_data.get("geojson") or "").strip()
    if not text:
        raise ValidationFailed(_("Paste the shape as GeoJSON or choose a file."))
    return geometry.parse_json(text)


def _context_shapes(user, area: Area) -> dict:
    """The area among its neighbours: the shapes under its parent (or itself)."""
    root = area.parent if area.parent_id and area.kind != AreaKind.STREET else area
    return area_shapes(actor=user, roots=[root] if root else [area])


@login_required
def area_shape(request, area_id: int):
    area = _editable(request, area_id)
    form = ShapeForm(request.POST or None, request.FILES or None)
    status, error = 200, None
    if request.method == "POST":
        try:
            if request.POST.get("clear"):
                area_shape_clear(actor=request.user, area=area)
                messages.success(request, _("The shape of %(area)s was cleared.") % {
                    "area": area.name})
            else:
                if not form.is_valid():
                    raise ValidationFailed(" ".join(str(e) for errors in form.errors.values()
                                                    for e in errors))
                area_shape_set(actor=request.user, area=area, data=_posted_geometry(form))
                messages.success(request, _("The shape of %(area)s was saved.") % {
                    "area": area.name})
        except ApplicationError as exc:
            status, error = exc.status, exc
            area.refresh_from_db()
        else:
            return redirect("orgs:shape", area.pk)
    return render(request, "orgs/shape.html", {
        "area": area, "form": form, "error": error, "areas": _context_shapes(request.user, area),
        "import_url": reverse("orgs:shapes_import") + f"?parent={area.pk}"}, status=status)


def _import_parents(user) -> list[Area]:
    areas = selectors.area_list(actor=user).filter(kind__in=[
        AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID,
        AreaKind.ESTATE])[:1000]
    return [a for a in areas if can_edit_shape(user, a)]


@login_required
def shapes_import(request):
    parents = _import_parents(request.user)
    if not parents:
        raise Http404
    posted = request.method == "POST"
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else None
    form = (ShapeImportForm(request.POST, request.FILES, parents=parents) if posted
            else ShapeImportForm(initial=initial, parents=parents))
    context: dict = {"form": form, "max_mb": MAX_BYTES // (1024 * 1024)}
    status = 200
    if posted and form.is_valid():
        parent = next(a for a in parents if a.pk == form.cleaned_data["parent"])
        upload = form.cleaned_data["file"]
        try:
            report = area_shapes_import(
                actor=request.user, parent=parent, filename=upload.name or "",
                content=upload.read(MAX_BYTES + 1), dry_run=not request.POST.get("import"))
        except ApplicationError as exc:
            context["error"], context["problems"] = exc.message, exc.details or []
            status = exc.status
        else:
            context["report"] = report
            context["areas"] = area_shapes(actor=request.user, roots=[parent])
    elif posted:
        status = 400
    return render(request, "orgs/shapes_import.html", context, status=status)


@login_required
def shapes_geojson(request):
    """The shapes the person may see, for maps that load them (`data-areas-url`); `under`
    narrows them to one area's subtree."""
    roots = None
    if request.GET.get("under"):
        try:
            roots = [selectors.area_get(actor=request.user, area_id=int(request.GET["under"]))]
        except ValueError:
            raise Http404 from None
    return JsonResponse(area_shapes(actor=request.user, roots=roots),
                        content_type="application/geo+json")
