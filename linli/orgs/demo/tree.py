"""The demo org tree: one district, one street, two communities with three grids each,
estates, buildings, entrances and dwellings, and the handling units that serve them."""

from dataclasses import dataclass, field

from linli.core.demo import DemoContext
from linli.orgs.demo.shapes import (
    Box,
    box_points,
    building_box,
    centre_of,
    community_box,
    estate_box,
    grid_box,
    polygon,
    street_box,
)
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


@dataclass
class DemoTree:
    district: Area
    street: Area
    communities: list[Area] = field(default_factory=list)
    grids: list[Area] = field(default_factory=list)
    dwellings: list[Area] = field(default_factory=list)
    units: dict[str, Unit] = field(default_factory=dict)


def _shaped(kind: str, name: str, parent: Area | None, box: Box, code: str = "",
            cut: float = 0) -> Area:
    """An area with its demo shape, centred in it."""
    lat, lng = centre_of(box)
    area = area_insert(kind=kind, name=name, parent=parent, code=code, lat=lat, lng=lng)
    area.boundary = polygon(box_points(box, cut))
    Area.objects.filter(pk=area.pk).update(boundary=area.boundary)
    return area


def _estate(tree: DemoTree, grid: Area, name: str, box: Box) -> None:
    estate = _shaped("estate", name, grid, box, cut=25)
    for b in range(1, 3):
        building = _shaped("building", f"{b}栋", estate, building_box(box, b))
        for e in range(1, 3):
            entrance = area_insert(kind="entrance", name=f"{e}单元", parent=building)
            for floor in range(1, 4):
                for door in range(1, 3):
                    tree.dwellings.append(area_insert(
                        kind="dwelling", name=f"{floor}0{door}", parent=entrance))


def demo_tree() -> DemoTree:
    district = area_insert(kind="district", name=DISTRICT[0], parent=None, code=DISTRICT[1])
    street = _shaped("street", STREET[0], district, street_box(), code=STREET[1])
    tree = DemoTree(district=district, street=street)
    for i, (name, code, grid_names, estates) in enumerate(COMMUNITIES):
        community_shape = community_box(i)
        community = _shaped("community", name, street, community_shape, code=code)
        tree.communities.append(community)
        for j, grid_name in enumerate(grid_names):
            shape = grid_box(community_shape, j)
            grid = _shaped("grid", grid_name, community, shape, code=f"{code}{j + 1:03d}")
            tree.grids.append(grid)
            for k, estate_name in enumerate(estates[j * 2:j * 2 + 2]):
                _estate(tree, grid, estate_name, estate_box(shape, k))
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
