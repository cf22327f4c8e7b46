"""The demo org tree: one district, one street, two communities with three grids each,
estates, buildings, entrances and dwellings, and the handling units that serve them."""

from dataclasses import dataclass, field

from linli.core.demo import DemoContext
from linli.orgs.models import Area, Unit, UnitKind
from linli.orgs.services import area_insert

DISTRICT = ("江汉区", "420103")
STREET = ("民族街道", "420103002")
COMMUNITIES = [
    ("花楼社区", "420103002001", ["花楼第一网格", "花楼第二网格", "花楼第三网格"],
     ["花楼小区", "统一街小区", "前进里", "联保里", "民意小区", "友益街小区"]),
    ("水塔社区", "420103002002", ["水塔第一网格", "水塔第二网格", "水塔第三网格"],
     ["水塔小区", "大董家巷小区", "三德里", "汉润里", "江汉村", "吉庆里"]),
]
# Centre of the demo street, so maps and the nearby-duplicates search have coordinates.
CENTRE = (30.5795, 114.2853)


@dataclass
class DemoTree:
    district: Area
    street: Area
    communities: list[Area] = field(default_factory=list)
    grids: list[Area] = field(default_factory=list)
    dwellings: list[Area] = field(default_factory=list)
    units: dict[str, Unit] = field(default_factory=dict)


def _coords(i: int, j: int):
    from decimal import Decimal

    lat = Decimal(str(round(CENTRE[0] + 0.004 * i - 0.002 * j, 6)))
    lng = Decimal(str(round(CENTRE[1] + 0.005 * j - 0.001 * i, 6)))
    return lat, lng


def _estate(tree: DemoTree, grid: Area, name: str, i: int, j: int) -> None:
    lat, lng = _coords(i, j)
    estate = area_insert(kind="estate", name=name, parent=grid, lat=lat, lng=lng)
    for b in range(1, 3):
        building = area_insert(kind="building", name=f"{b}栋", parent=estate, lat=lat, lng=lng)
        for e in range(1, 3):
            entrance = area_insert(kind="entrance", name=f"{e}单元", parent=building)
            for floor in range(1, 4):
                for door in range(1, 3):
                    tree.dwellings.append(area_insert(
                        kind="dwelling", name=f"{floor}0{door}", parent=entrance))


def demo_tree() -> DemoTree:
    district = area_insert(kind="district", name=DISTRICT[0], parent=None, code=DISTRICT[1])
    street = area_insert(kind="street", name=STREET[0], parent=district, code=STREET[1],
                         lat=_coords(0, 0)[0], lng=_coords(0, 0)[1])
    tree = DemoTree(district=district, street=street)
    for i, (name, code, grid_names, estates) in enumerate(COMMUNITIES):
        lat, lng = _coords(i * 3, 0)
        community = area_insert(kind="community", name=name, parent=street, code=code,
                                lat=lat, lng=lng)
        tree.communities.append(community)
        for j, grid_name in enumerate(grid_names):
            grid = area_insert(kind="grid", name=grid_name, parent=community,
                               code=f"{code}{j + 1:03d}", lat=lat, lng=lng)
            tree.grids.append(grid)
            for k, estate_name in enumerate(estates[j * 2:j * 2 + 2]):
                _estate(tree, grid, estate_name, i * 3 + j, k)
    _units(tree)
    return tree


def _unit(tree: DemoTree, key: str, name: str, kind: str, areas: list[Area], phone: str):
    unit = Unit.objects.create(name=name, kind=kind, phone=phone, supervisor_area=tree.street)
    unit.service_areas.set(areas)
    tree.units[key] = unit


def _units(tree: DemoTree) -> None:
    a, b = tree.communities
    _unit(tree, "property_a", "花楼物业服务中心", UnitKind.PROPERTY, [a], "027-82800001")
    _unit(tree, "property_b", "水塔物业服务中心", UnitKind.PROPERTY, [b], "027-82800002")
    _unit(tree, "repair", "民族街市政维修队", UnitKind.REPAIR, [tree.street], "027-82800003")
    _unit(tree, "cleaning", "江汉环卫保洁公司", UnitKind.CLEANING, [tree.street], "027-82800004")
    _unit(tree, "urban", "民族街城管中队", UnitKind.URBAN_MANAGEMENT, [tree.street],
          "027-82800005")
    _unit(tree, "police", "民族街派出所", UnitKind.POLICE, [tree.street], "027-82800110")
    _unit(tree, "judicial", "民族街司法所", UnitKind.JUDICIAL, [tree.street], "027-82800006")
    _unit(tree, "gas", "江汉燃气抢修站", UnitKind.UTILITY, [tree.street], "027-82800007")


def demo_step_tree(demo: DemoContext) -> None:
    demo.tree = demo_tree()


def demo_present() -> bool:
    """The demo loads into a database without areas only."""
    return Area.objects.exists()


DEMO_STEPS = [(20, demo_step_tree)]
