import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from linli.orgs import selectors
from linli.orgs.models import Area
from linli.orgs.permissions import (
    can_edit_shape,
    can_import_areas,
    can_see_area_tree,
    can_view_units,
)
from linli.orgs.shapes import NO_SHAPE_KINDS, area_shapes

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
    """The areas the user may see, as an indented tree (dwellings are left out: too many).
    Only for those who serve areas: for a resident the page does not exist."""
    if not can_see_area_tree(request.user):
        raise Http404
    areas = list(selectors.area_list(actor=request.user).exclude(kind="dwelling")
                 [:TREE_LIMIT + 1])
    can_import = can_import_areas(request.user)
    # Only administrators draw shapes; the check per row reads the cached assignments.
    editable = {a.pk for a in areas if a.kind not in NO_SHAPE_KINDS
                and can_edit_shape(request.user, a)} if can_import else set()
    return render(request, "orgs/tree.html", {
        "areas": in_tree_order(areas[:TREE_LIMIT]), "truncated": len(areas) > TREE_LIMIT,
        "limit": TREE_LIMIT, "can_import": can_import, "editable": editable,
        "can_see_units": can_view_units(request.user),
        "shapes": area_shapes(actor=request.user)})
