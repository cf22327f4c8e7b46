"""The xlsx import of party organisations and members (`party:org_import`).

A workbook of two sheets (the template: `template_bytes`):
- 组织 (organisations): 名称, 类型, 上级组织, 区域 (area code or full path), 单位 (unit name);
  rows may name a parent set up by an earlier row;
- 党员 (members): 姓名, 类型, 工作单位, 身份证号或手机号 (finds the registry resident living
  in the importer's places), 所属组织 (organisation names, separated by 、 ; or ,).

Everything is checked first and every problem listed by sheet row (the title row is 1);
nothing is written if any row is wrong. Then the rows are written in one transaction
through the services (each write audited as usual) and the import itself is audited.
Reuses the area import's `ImportRejected` / `RowProblem` / `cell_text` (linli.orgs).
"""

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.core.audit import audit_record
from linli.core.errors import ApplicationError
from linli.orgs.imports.reader import ImportRejected, RowProblem, cell_text
from linli.orgs.models import Area, AreaKind, Unit
from linli.party import permissions
from linli.party.models import LEVEL, Member, MemberKind, Organisation, OrgKind

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
ORG_SHEET, MEMBER_SHEET = "组织", "党员"
ORG_HEADERS = ["名称", "类型", "上级组织", "区域", "单位"]
MEMBER_HEADERS = ["姓名", "类型", "工作单位", "身份证号或手机号", "所属组织"]
ORG_KINDS = {"党委": OrgKind.COMMITTEE, "党总支": OrgKind.GENERAL_BRANCH,
             "党支部": OrgKind.BRANCH, "支部": OrgKind.BRANCH, "党小组": OrgKind.GROUP,
             "党员中心户": OrgKind.CENTRE, "联合党委": OrgKind.JOINT, "大党委": OrgKind.JOINT,
             **{k: k for k in OrgKind.values}}
MEMBER_KINDS = {"社区直管党员": MemberKind.DIRECT, "直管": MemberKind.DIRECT,
                "在职党员": MemberKind.IN_SERVICE, "在职": MemberKind.IN_SERVICE,
                "流动党员": MemberKind.MOBILE, "流动": MemberKind.MOBILE,
                "离退休党员": MemberKind.RETIRED, "离退休": MemberKind.RETIRED,
                **{k: k for k in MemberKind.values}}
_SPLIT = re.compile(r"[、;；,，]")


@dataclass
class OrgRow:
    row: int
    name: str
    kind: str
    parent: str
    area: Area
    unit: Unit | None


@dataclass
class MemberRow:
    row: int
    name: str
    kind: str
    employer: str
    resident: Any
    organisations: list[str]


@dataclass
class Plan:
    orgs: list[OrgRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def problem(self, sheet: str, row: int, message: str) -> None:
        self.problems.append(RowProblem(row, sheet, message))


@dataclass
class ImportReport:
    organisations: int
    members: int
    written: bool


def template_bytes() -> bytes:
    """The empty workbook to fill in, with one example row per sheet."""
    from openpyxl import Workbook

    book = Workbook()
    orgs = book.active
    orgs.title = ORG_SHEET
    orgs.append(ORG_HEADERS)
    orgs.append(["示例社区第二网格党支部", "党支部", "示例社区党委", "420103001001002", ""])
    people = book.create_sheet(MEMBER_SHEET)
    people.append(MEMBER_HEADERS)
    people.append(["张三", "在职党员", "江汉区税务局", "13800000000", "示例社区第二网格党支部"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _file_problem(message: str) -> ImportRejected:
    return ImportRejected([RowProblem(1, "", message)], message=message, code="bad_file")


def _sheets(content: bytes) -> dict[str, list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    if len(content) > MAX_BYTES:
        raise _file_problem(_("The file is too large."))
    if not content.startswith(b"PK\x03\x04"):
        raise _file_problem(_("This file is not an Excel workbook (.xlsx)."))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise _file_problem(_("This file is not a readable Excel workbook (.xlsx).")) from exc
    found: dict[str, list[tuple[int, list[str]]]] = {}
    try:
        for title, headers in ((ORG_SHEET, ORG_HEADERS), (MEMBER_SHEET, MEMBER_HEADERS)):
            if title not in book.sheetnames:
                found[title] = []
                continue
            rows = []
            for number, values in enumerate(book[title].iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values][:len(headers)]
                cells += [""] * (len(headers) - len(cells))
                if number == 1:
                    if cells != headers:
                        raise _file_problem(_("The sheet %(sheet)s must start with the "
                                              "titles of the template.") % {"sheet": title})
                    continue
                if number > MAX_ROWS:
                    raise _file_problem(_("The file has too many rows."))
                if any(cells):
                    rows.append((number, cells))
            found[title] = rows
    except ImportRejected:
        raise
    except Exception as exc:  # damage can also surface while reading the rows
        raise _file_problem(_("This file is not a readable Excel workbook (.xlsx).")) from exc
    finally:
        book.close()
    return found


def _areas(actor) -> tuple[dict[str, Area], dict[str, Area]]:
    """The actor's community, grid and building areas by code and by full path."""
    from django.db.models import Q

    paths = scope.area_paths(actor, permissions.PARTY)
    within = Q(pk__in=[])
    for p in paths:
        within |= Q(path__startswith=p)
    areas = list(Area.objects.filter(within, kind__in=(AreaKind.COMMUNITY, AreaKind.GRID,
                                                        AreaKind.BUILDING)))
    by_path = {}
    names = {a.pk: a.name for a in Area.objects.filter(
        pk__in={i for a in areas for i in a.ancestor_ids})}
    for a in areas:
        full = [names.get(i, "") for i in a.ancestor_ids if i != a.pk] + [a.name]
        by_path["/".join(full)] = a
    return {a.code: a for a in areas if a.code}, by_path


def _area_of(text: str, by_code: dict, by_path: dict) -> Area | None:
    key = re.sub(r"\s*/\s*", "/", text.strip())
    return by_code.get(key) or by_path.get(key)


def _check_orgs(plan: Plan, rows, actor) -> set[str]:
    from linli.party.services.organisations import _check_place

    by_code, by_path = _areas(actor)
    known = {o.name: o for o in Organisation.objects.filter(
        permissions_q(actor), is_active=True)}
    names: dict[str, OrgRow] = {}
    for number, (name, kind_text, parent, area_text, unit_name) in rows:
        kind = ORG_KINDS.get(kind_text)
        area = _area_of(area_text, by_code, by_path)
        unit = Unit.objects.filter(name=unit_name).first() if unit_name else None
        problems = [m for bad, m in (
            (not name, _("The name is missing.")),
            (kind is None, _("Unknown kind of organisation.")),
            (area is None, _("Unknown area, or not one of your places.")),
            (bool(unit_name) and unit is None, _("Unknown unit.")),
            (bool(parent) and parent not in names and parent not in known,
             _("Unknown parent organisation.")),
            (name in names or (area is not None and Organisation.objects.filter(
                area=area, name=name).exists()), _("This organisation already exists.")),
        ) if bad]
        if not problems and kind is not None and area is not None:
            try:
                up = names.get(parent) or known.get(parent)
                _check_place(kind, area, _as_parent(up) if up else None, unit)
            except ApplicationError as exc:
                problems.append(exc.message)
        for m in problems:
            plan.problem(ORG_SHEET, number, str(m))
        if not problems and kind is not None and area is not None:
            names[name] = OrgRow(number, name, kind, parent, area, unit)
            plan.orgs.append(names[name])
    return set(names) | set(known)


def permissions_q(actor):
    from linli.party.selectors import party_q

    return party_q(actor)


def _as_parent(row) -> Organisation:
    """A parent named by an earlier row, as the rule checker reads it."""
    if isinstance(row, Organisation):
        return row
    return Organisation(name=row.name, kind=row.kind, level=LEVEL[row.kind], area=row.area,
                        area_path=row.area.path)


def _check_members(plan: Plan, rows, actor, org_names: set[str]) -> None:
    from linli.people.selectors import resident_by_number_at

    paths = scope.area_paths(actor, permissions.PARTY)
    seen: set[int] = set()
    for number, (name, kind_text, employer, key, org_text) in rows:
        kind = MEMBER_KINDS.get(kind_text)
        resident = resident_by_number_at(paths=paths, number=key) if key else None
        orgs = [o.strip() for o in _SPLIT.split(org_text) if o.strip()]
        problems = [m for bad, m in (
            (not name, _("The name is missing.")),
            (kind is None, _("Unknown kind of member.")),
            (kind == MemberKind.IN_SERVICE and not employer,
             _("An in-service member has an employer.")),
            (resident is None, _("No resident of your places has this ID number or phone.")),
            (resident is not None and (resident.pk in seen or Member.objects.filter(
                resident=resident).exists()), _("This person is already a member.")),
            (any(o not in org_names for o in orgs), _("Unknown organisation.")),
        ) if bad]
        for m in problems:
            plan.problem(MEMBER_SHEET, number, str(m))
        if not problems and kind is not None and resident is not None:
            seen.add(resident.pk)
            plan.members.append(MemberRow(number, name, kind, employer, resident, orgs))


def plan_file(*, actor, content: bytes) -> Plan:
    sheets = _sheets(content)
    plan = Plan()
    org_names = _check_orgs(plan, [(n, c) for n, c in sheets[ORG_SHEET]], actor)
    _check_members(plan, sheets[MEMBER_SHEET], actor, org_names)
    return plan


def party_import(*, actor, content: bytes, filename: str = "",
                 check_only: bool = True) -> ImportReport:
    """Check the file (every problem by row: ImportRejected, nothing written); unless
    `check_only`, write it all in one transaction."""
    from linli.core.errors import PermissionDenied

    if not permissions.is_party_staff(actor):
        raise PermissionDenied(_("Only party-work staff import party organisations."),
                               code="not_party_staff")
    plan = plan_file(actor=actor, content=content)
    if plan.problems:
        raise ImportRejected(plan.problems)
    if not plan.orgs and not plan.members:
        raise _file_problem(_("The file has no rows to import."))
    if not check_only:
        _write(actor, plan, filename)
    return ImportReport(len(plan.orgs), len(plan.members), not check_only)


@transaction.atomic
def _write(actor, plan: Plan, filename: str) -> None:
    from linli.party.services.members import member_register, membership_join
    from linli.party.services.organisations import organisation_create

    made: dict[str, Organisation] = {}
    for row in plan.orgs:
        parent = made.get(row.parent) or (Organisation.objects.filter(
            permissions_q(actor), name=row.parent, is_active=True).first()
            if row.parent else None)
        made[row.name] = organisation_create(actor=actor, name=row.name, kind=row.kind,
                                             area=row.area, parent=parent, unit=row.unit)
    for m in plan.members:
        community = m.resident.household.dwelling.ancestor_of_kind(AreaKind.COMMUNITY)
        member = member_register(actor=actor, community=community, kind=m.kind,
                                 resident=m.resident, employer=m.employer)
        for org_name in m.organisations:
            org = made.get(org_name) or Organisation.objects.filter(
                permissions_q(actor), name=org_name, is_active=True).first()
            if org is not None:
                membership_join(actor=actor, member=member, organisation=org)
    audit_record(actor=actor, action="party_org.import", object_type="party.import",
                 object_label=filename[:200],
                 changes={"organisations": len(plan.orgs), "members": len(plan.members)})
