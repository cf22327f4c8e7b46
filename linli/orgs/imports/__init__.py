"""Importing an area tree from a spreadsheet. The service is `area_tree_import`.

A file holds one row per path from the top: 区县, 区县编码, 街道, 街道编码, 社区, 社区编码,
网格, 网格编码, 小区, 楼栋, 单元, 房屋 (or the English titles district, district_code, ...);
a row may stop at any level. Existing areas are matched by (parent, name) and reused; only
what is missing is created. The whole file is checked before anything is written, with the
same rules as `services.area_insert`; one bad row and nothing is imported.

Speed matters (a district is tens of thousands of dwellings): the file is planned in memory
(`reader` reads it, `plan` makes the tree of the areas it names), existing
areas are loaded once per level, and new areas are written with `bulk_create` level by
level, their materialised paths filled in by one UPDATE per batch.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _

from linli.accounts.permissions import can_manage_area
from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied
from linli.orgs.imports.plan import KINDS, Node, Plan, plan_file
from linli.orgs.imports.reader import MAX_BYTES, MAX_ROWS, ImportRejected, RowProblem, check_size
from linli.orgs.models import Area, AreaKind
from linli.orgs.permissions import can_import_areas
from linli.orgs.validators import code_problem, parent_problem

__all__ = ["KINDS", "MAX_BYTES", "MAX_ROWS", "ImportRejected", "ImportReport",
           "area_tree_import", "upload_content"]

_BATCH = 500


@dataclass
class ImportReport:
    filename: str
    rows: int
    created: dict[str, int]
    reused: dict[str, int]
    check_only: bool = False  # a dry run: `created` is what an import would create

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    @property
    def reused_total(self) -> int:
        return sum(self.reused.values())

    def as_dict(self) -> dict[str, Any]:
        return {"filename": self.filename, "rows": self.rows, "created": self.created,
                "reused": self.reused, "created_total": self.created_total,
                "reused_total": self.reused_total, "check_only": self.check_only}


def _chunks(items: list, size: int = _BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _existing():
    # Only what matching and checking need; a re-import loads every area it names.
    return Area.objects.only("id", "kind", "name", "code", "parent_id", "path",
                             "depth").order_by()


def _match_existing(plan: Plan) -> None:
    """Pair every node with the existing area of the same name under the same parent."""
    for level, nodes in enumerate(plan.by_level):
        if level == 0:
            found = list(_existing().filter(parent__isnull=True))
        else:
            parent_ids = sorted({n.parent.existing.pk for n in nodes
                                 if n.parent is not None and n.parent.existing is not None})
            found = [a for chunk in _chunks(parent_ids)
                     for a in _existing().filter(parent_id__in=chunk)]
        index = {(a.parent_id, a.name): a for a in found}
        for node in nodes:
            parent_area = node.parent.existing if node.parent is not None else None
            if node.parent is not None and parent_area is None:
                continue  # under a new area everything is new
            node.existing = index.get((parent_area.pk if parent_area else None, node.name))


def _check_nodes(plan: Plan) -> None:
    for nodes in plan.by_level:
        for node in nodes:
            if node.existing is not None:
                _check_existing(plan, node, node.existing)
            else:
                _check_new(plan, node)
    _check_codes_free(plan)


def _check_existing(plan: Plan, node: Node, area: Area) -> None:
    if area.kind != node.kind:
        node.bad = True
        plan.problem(node.row, plan.name_column(node.level), _(
            "%(name)s already exists here as a %(kind)s.") % {
            "name": node.name, "kind": AreaKind(area.kind).label})
    elif node.code and node.code != area.code:
        node.bad = True
        plan.problem(node.code_row, plan.code_column(node.level), _(
            "%(name)s already exists with a different code.") % {"name": node.name})


def _check_new(plan: Plan, node: Node) -> None:
    if node.bad:
        return
    parent = node.parent
    parent_kind = parent.kind if parent is not None else None
    parent_code = None
    if parent is not None and not parent.bad:
        parent_code = parent.existing.code if parent.existing is not None else parent.code
    problem = parent_problem(node.kind, parent_kind) or code_problem(
        node.kind, node.code, parent_kind, parent_code)
    if problem:
        node.bad = True
        plan.problem(node.code_row or node.row, plan.code_column(node.level), problem)


def _check_codes_free(plan: Plan) -> None:
    coded = [n for n in plan.new_nodes() if n.code]
    codes = [n.code for n in coded]
    taken = {code for chunk in _chunks(codes)
             for code in Area.objects.filter(code__in=chunk).values_list("code", flat=True)}
    for node in coded:
        if node.code in taken:
            plan.problem(node.code_row, plan.code_column(node.level), _(
                "The code %(code)s is already used by another area.") % {"code": node.code})


def _check_scope(plan: Plan, actor) -> list[RowProblem]:
    """New areas may hang only under existing areas the actor manages."""
    allowed: dict[int | None, bool] = {}
    denied = []
    for node in plan.new_nodes():
        if node.parent is not None and node.parent.existing is None:
            continue  # under another new area, already checked at its top
        anchor = node.parent.existing if node.parent is not None else None
        key = anchor.pk if anchor is not None else None
        if key not in allowed:
            allowed[key] = (bool(actor.is_superuser) if anchor is None
                            else can_manage_area(actor, anchor))
        if allowed[key]:
            continue
        if anchor is None:
            message = _("Only a system administrator may add a district.")
        else:
            message = _("You do not manage %(parent)s, so you may not add %(name)s under it.") % {
                "parent": anchor.name, "name": node.name}
        denied.append(RowProblem(node.row, plan.name_column(node.level), message))
    return denied


def _write(plan: Plan) -> None:
    try:
        with transaction.atomic():
            for nodes in plan.by_level:
                fresh = [n for n in nodes if n.existing is None]
                areas = [_new_area(n) for n in fresh]
                Area.objects.bulk_create(areas, batch_size=_BATCH)
                for node, area in zip(fresh, areas, strict=True):
                    node.created = area
                _fill_paths([a.pk for a in areas])
    except IntegrityError:
        # Someone added one of these areas or codes since the file was checked.
        raise Conflict(_("The area tree changed while importing; please try again."),
                       code="duplicate_area") from None


def _new_area(node: Node) -> Area:
    parent = node.parent.area if node.parent is not None else None
    # parent_id, not parent=: the FK descriptor's checks cost seconds over 50,000 rows.
    return Area(kind=node.kind, name=node.name, code=node.code,
                parent_id=parent.pk if parent is not None else None,
                depth=parent.depth + 1 if parent is not None else 0)


def _fill_paths(ids: list[int]) -> None:
    """path = parent's path + "<id>/", computed in the database (ids are known only now)."""
    parent_path = Area.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    path = Concat(Coalesce(Subquery(parent_path, output_field=CharField()), Value("/")),
                  Cast("pk", output_field=CharField()), Value("/"), output_field=CharField())
    for chunk in _chunks(ids):
        Area.objects.filter(pk__in=chunk).update(path=path)


def _report(plan: Plan, filename: str) -> ImportReport:
    created: Counter[str] = Counter()
    reused: Counter[str] = Counter()
    for nodes in plan.by_level:
        for node in nodes:
            (reused if node.existing is not None else created)[node.kind] += 1
    return ImportReport(filename=filename, rows=plan.rows,
                        created={k: created[k] for k in KINDS},
                        reused={k: reused[k] for k in KINDS})


def _audit_path(plan: Plan) -> str:
    """The deepest area holding everything the import touched, so its admins see the entry."""
    paths = [n.parent.existing.path if n.parent is not None and n.parent.existing else ""
             for n in plan.new_nodes()
             if n.parent is None or n.parent.existing is not None]
    if not paths:
        paths = [n.existing.path for n in plan.by_level[0] if n.existing is not None]
    if not paths or "" in paths:
        return ""
    parts = [p.strip("/").split("/") for p in paths]
    common = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return f"/{'/'.join(common)}/" if common else ""


def upload_content(upload) -> bytes:
    """The bytes of an uploaded file, refusing an oversized one before reading it."""
    check_size(upload.size or 0)
    return upload.read()


@transaction.atomic
def area_tree_import(*, actor, filename: str, content: bytes,
                     check_only: bool = False) -> ImportReport:
    """Check the whole file, then create the missing areas. Raises ImportRejected (400, or
    403 when the only problems are areas outside the actor's own) listing every problem by
    row and column; nothing is written unless every row is right. With `check_only` (a dry
    run), stop after the check: the report counts what an import would create."""
    if not can_import_areas(actor):
        raise PermissionDenied(_("Only administrators may import areas."))
    plan = plan_file(filename, content)
    _match_existing(plan)
    _check_nodes(plan)
    denied = _check_scope(plan, actor)
    if plan.problems or denied:
        only_scope = not plan.problems
        raise ImportRejected(plan.problems + denied, status=403 if only_scope else 400,
                             code="forbidden_rows" if only_scope else "")
    if check_only:  # nothing is written, so nothing to audit (unlike a residents file,
        report = _report(plan, filename)  # the area tree holds no personal data)
        report.check_only = True
        return report
    _write(plan)
    report = _report(plan, filename)
    audit_record(actor=actor, action="area.imported", object_type="orgs.area",
                 object_label=filename[:200], area_path=_audit_path(plan),
                 changes={"rows": report.rows, "created": report.created,
                          "reused": report.reused})
    return report
