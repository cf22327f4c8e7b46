"""Checking a residents file against the registers: dwellings, scope, households, duplicates.

`plan_file` reads the whole file (`reader`), checks each row's cells (`cells`),
then, with a handful of queries for the whole file, finds every row's dwelling by its path of
names, checks it lies in the importer's areas, groups rows into households, and refuses ID
numbers repeated in the file or already registered. Nothing is written here.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.core.crypto import blind_index
from linli.orgs.imports.reader import RowProblem
from linli.orgs.models import Area, AreaKind
from linli.people import sheet as s
from linli.people.imports.cells import Person, RowReader
from linli.people.imports.reader import Workbook, file_problem
from linli.people.models import Relation, Resident
from linli.people.permissions import KEEPER_ROLES

_CHUNK = 1000
PROGRESS_EVERY = 1000
_BELOW_COMMUNITY = [AreaKind.GRID, AreaKind.ESTATE, AreaKind.BUILDING, AreaKind.ENTRANCE,
                    AreaKind.DWELLING]

Progress = Callable[[int, int], None]


@dataclass
class Plan:
    people: list[Person] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    denied: list[RowProblem] = field(default_factory=list)  # rows outside the actor's areas
    denied_paths: set[str] = field(default_factory=set)  # their communities
    rows: int = 0

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass(frozen=True)
class Found:
    dwelling_id: int
    path: str
    community_path: str


class DwellingIndex:
    """The dwellings of the communities a file names, by their path of (kind, name)."""

    def __init__(self, community_names: set[str]):
        self.by_place: dict[tuple, list[Found]] = defaultdict(list)
        communities = Area.objects.filter(kind=AreaKind.COMMUNITY,
                                          name__in=sorted(community_names))
        for name, path in communities.order_by().values_list("name", "path"):
            self._load(name, path)

    def _load(self, community: str, community_path: str) -> None:
        rows = (Area.objects.filter(path__startswith=community_path, kind__in=_BELOW_COMMUNITY)
                .order_by().values_list("id", "kind", "name", "path"))
        names: dict[str, tuple[str, str]] = {}
        dwellings = []
        for pk, kind, name, path in rows.iterator(chunk_size=5000):
            names[str(pk)] = (kind, name)
            if kind == AreaKind.DWELLING:
                dwellings.append((pk, path))
        skip = len(community_path.strip("/").split("/"))
        top = (str(AreaKind.COMMUNITY), community)
        for pk, path in dwellings:
            below = path.strip("/").split("/")[skip:]
            key = (top, *(names[i] for i in below if i in names))
            self.by_place[key].append(Found(pk, path, community_path))


class KeeperScope:
    """Where the actor may register residents (see permissions.can_keep), computed once."""

    def __init__(self, actor):
        self.everywhere = bool(actor.is_superuser)
        self.paths = scope.area_paths(actor, KEEPER_ROLES)

    def allows(self, path: str) -> bool:
        return self.everywhere or any(path.startswith(p) for p in self.paths)


def _find(plan: Plan, row: int, place: tuple, index: DwellingIndex,
          keeper: KeeperScope) -> Found | None:
    """The one dwelling of the importer's areas at this place, or None with the problem
    noted."""
    found = index.by_place.get(place, [])
    mine = [f for f in found if keeper.allows(f.path)]
    if len(mine) == 1:
        return mine[0]
    if mine:
        plan.problem(row, s.COMMUNITY, _(
            "More than one community of your areas has this name and this dwelling."))
    elif found:
        plan.denied.append(RowProblem(row, s.DWELLING, _(
            "This dwelling is outside your areas: you may not register residents there.")))
        plan.denied_paths.add(found[0].community_path)
    else:
        plan.problem(row, s.DWELLING, _(
            "There is no such dwelling in the area tree. Check the names from 社区 to 房屋 "
            "against the tree; leave 小区, 楼栋 or 单元 empty only where the tree has no "
            "such level."))
    return None


def _resolve(plan: Plan, index: DwellingIndex, keeper: KeeperScope,
             rejected: list[tuple[int, tuple]]) -> None:
    for person in plan.people:
        mine = _find(plan, person.row, person.place, index, keeper)
        if mine is not None:
            person.dwelling_id, person.dwelling_path = mine.dwelling_id, mine.path
    for row, place in rejected:
        _find(plan, row, place, index, keeper)


def _existing_heads(dwelling_ids: list[int]) -> dict[tuple[int, str], int]:
    """(dwelling, head's name) -> the household living there now under that head."""
    heads: dict[tuple[int, str], int] = {}
    for chunk in _chunks(dwelling_ids):
        rows = Resident.objects.filter(
            household__dwelling_id__in=chunk, relation=Relation.HEAD, moved_out__isnull=True,
            anonymised_at__isnull=True).order_by("household_id")
        for dwelling_id, name, household_id in rows.values_list(
                "household__dwelling_id", "name", "household_id"):
            heads[(dwelling_id, name)] = household_id
    return heads


def _households(plan: Plan, failed_heads: set[tuple]) -> None:
    """Rows with the same dwelling and 户主姓名 are one household: either its head is in the
    file (a new household), or that head already lives there (the rows join it)."""
    groups: dict[tuple[int, str], list[Person]] = defaultdict(list)
    for person in plan.people:
        if person.dwelling_id and (person.place, person.head_name) not in failed_heads:
            groups[(person.dwelling_id, person.head_name)].append(person)
    headless = sorted({key[0] for key, members in groups.items()
                       if all(m.relation != Relation.HEAD for m in members)})
    existing = _existing_heads(headless)
    for key, members in groups.items():
        heads = [m for m in members if m.relation == Relation.HEAD]
        for extra in heads[1:]:
            plan.problem(extra.row, s.RELATION, _(
                "Row %(row)d is already the head of this household (same 房屋 and 户主姓名).")
                % {"row": heads[0].row})
        if heads:
            continue
        household_id = existing.get(key)
        for member in members:
            if household_id is None:
                plan.problem(member.row, s.HEAD_NAME, _(
                    "This head of household is neither in the file (a row with 与户主关系 户主 "
                    "at the same 房屋) nor registered as living at this dwelling."))
            member.household_id = household_id


def _duplicates(plan: Plan) -> None:
    first: dict[str, int] = {}
    for person in plan.people:
        if not person.id_number:
            continue
        if person.id_number in first:
            plan.problem(person.row, s.ID_NUMBER, _("The same ID number is already on row "
                                                    "%(row)d.") % {"row": first[person.id_number]})
        else:
            first[person.id_number] = person.row
        person.id_hash = blind_index(person.id_number)
    hashes = [p.id_hash for p in plan.people if p.id_hash]
    taken = {h for chunk in _chunks(hashes) for h in Resident.objects.filter(
        id_number_hash__in=chunk).values_list("id_number_hash", flat=True)}
    for person in plan.people:
        if person.id_hash in taken:
            plan.problem(person.row, s.ID_NUMBER, _(
                "A resident with this ID number is already registered. If they moved, they "
                "must first be moved out at the old address."))


def plan_file(*, actor, content: bytes, today: date, progress: Progress | None = None) -> Plan:
    """Every row read and checked; `plan.problems` and `plan.denied` say what is wrong."""
    book = Workbook(content)
    plan = Plan()
    reader = RowReader(plan.problem, today)
    estimate = book.estimated_rows()
    for row in book.rows():
        if not reader.columns:
            reader.columns = {title: i for i, title in enumerate(book.titles)}
        plan.rows += 1
        person = reader.person(row)
        if person is not None:
            plan.people.append(person)
        if progress is not None and plan.rows % PROGRESS_EVERY == 0:
            total = estimate or book.extrapolated_rows(plan.rows)
            progress(plan.rows, max(total, plan.rows))
    if plan.rows == 0:
        raise file_problem(_("The file has column titles but no residents."), code="empty")
    places = [p.place for p in plan.people] + [place for _row, place in reader.rejected_places]
    index = DwellingIndex({place[0][1] for place in places if place})
    _resolve(plan, index, KeeperScope(actor), reader.rejected_places)
    _households(plan, reader.failed_heads)
    _duplicates(plan)
    return plan
