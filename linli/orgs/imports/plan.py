"""An area-tree file as a tree of nodes, one per area it names, with every problem found in
the rows themselves (gaps, repeated rows, clashing codes). Matching against the database and
writing are in `linli.orgs.imports`."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from linli.orgs.imports.reader import (
    LEVELS,
    Header,
    ImportRejected,
    RowProblem,
    parse_header,
    read_rows,
)
from linli.orgs.models import Area

KINDS = [level[0] for level in LEVELS]


@dataclass(eq=False)
class Node:
    """One area the file names: matched to an existing area, or to be created."""

    level: int
    name: str
    parent: "Node | None"
    row: int  # the first row naming it
    code: str = ""
    code_row: int = 0
    leaf_row: int = 0  # the first row that stops at this area
    existing: Area | None = None
    created: Area | None = None
    bad: bool = False
    children: dict[str, "Node"] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return KINDS[self.level]

    @property
    def area(self) -> Area | None:
        return self.existing or self.created


class Plan:
    """The file as a tree of nodes, with every problem found while reading it."""

    def __init__(self, header: Header):
        self.header = header
        self.roots: dict[str, Node] = {}
        self.by_level: list[list[Node]] = [[] for _ in LEVELS]
        self.code_owner: dict[str, Node] = {}
        self.problems: list[RowProblem] = []
        self.rows = 0
        self._mapped = {i for i in [*header.name_index, *header.code_index] if i is not None}

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))

    def name_column(self, level: int) -> str:
        return self.header.labels[level]

    def code_column(self, level: int) -> str:
        return self.header.code_labels[level] or self.header.labels[level]

    def add_row(self, number: int, cells: list[str]) -> None:
        if not any(cells):
            return  # spreadsheets often end with blank rows
        self.rows += 1
        names = [_cell(cells, i) for i in self.header.name_index]
        codes = [_cell(cells, i) for i in self.header.code_index]
        if self._row_shape_ok(number, cells, names, codes):
            self._add_path(number, names, codes)

    def _row_shape_ok(self, number: int, cells: list[str], names: list[str],
                      codes: list[str]) -> bool:
        before = len(self.problems)
        for index, value in enumerate(cells):
            if value and index not in self._mapped:
                self.problem(number, _column_letter(index),
                             _("A value in a column without a title."))
        deepest = max((lvl for lvl, name in enumerate(names) if name), default=-1)
        for lvl, name in enumerate(names):
            if codes[lvl] and not name:
                self.problem(number, self.code_column(lvl), _("A code needs its name beside it."))
            elif lvl < deepest and not name:
                self.problem(number, self.name_column(lvl), _(
                    "This level is empty but a level below it is filled; a row names every "
                    "level from the district down."))
            elif len(name) > 100:
                self.problem(number, self.name_column(lvl), _("A name is at most 100 characters."))
        return len(self.problems) == before

    def _add_path(self, number: int, names: list[str], codes: list[str]) -> None:
        siblings, parent, node = self.roots, None, None
        for lvl, name in enumerate(names):
            if not name:
                break
            node = siblings.get(name)
            if node is None:
                node = siblings[name] = Node(lvl, name, parent, number)
                self.by_level[lvl].append(node)
            self._take_code(node, codes[lvl], number)
            siblings, parent = node.children, node
        if node is None:
            return
        if node.leaf_row:
            self.problem(number, self.name_column(node.level),
                         _("This row repeats row %(row)d.") % {"row": node.leaf_row})
        else:
            node.leaf_row = number

    def _take_code(self, node: Node, code: str, number: int) -> None:
        if not code or code == node.code:
            return
        clash = self._code_clash(node, code)
        if clash:
            node.bad = True  # reported here; its own checks would only repeat it
            self.problem(number, self.code_column(node.level), clash)
            return
        node.code, node.code_row = code, number
        self.code_owner[code] = node

    def _code_clash(self, node: Node, code: str) -> str | None:
        if node.code:
            return _("%(name)s has the code %(code)s in row %(row)d.") % {
                "name": node.name, "code": node.code, "row": node.code_row}
        owner = self.code_owner.get(code)
        if owner is not None:
            return _("The code %(code)s is also given to %(name)s in row %(row)d.") % {
                "code": code, "name": owner.name, "row": owner.code_row}
        return None

    def new_nodes(self) -> Iterator[Node]:
        for nodes in self.by_level:
            yield from (n for n in nodes if n.existing is None)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _column_letter(index: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(index + 1)


def plan_file(filename: str, content: bytes) -> Plan:
    rows = read_rows(filename, content)
    header_cells = next(rows, None)
    if header_cells is None or not any(header_cells):
        raise ImportRejected([RowProblem(1, "", _("The file is empty."))],
                             message=_("The file is empty."), code="bad_header")
    plan = Plan(parse_header(header_cells))
    for number, cells in enumerate(rows, start=2):
        plan.add_row(number, cells)
    if plan.rows == 0:
        raise ImportRejected([RowProblem(2, "", _("There are no rows below the titles."))],
                             message=_("There are no rows below the titles."))
    return plan
