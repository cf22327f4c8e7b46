"""Demo users, one or more for every role. All share one password; staff roles that need a
second factor get a TOTP secret, and `linli otp USERNAME` prints their current code."""

from dataclasses import dataclass

import pyotp
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from linli.accounts.models import Role, RoleAssignment, User
from linli.core.crypto import blind_index, encrypt
from linli.core.demo import DemoContext
from linli.orgs.demo import DemoTree

DEMO_PASSWORD = "Linli@2026demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    where: str
    phone: str = ""
    otp_secret: str = ""


def _user(username: str, name: str, password_hash: str, phone: str = "",
          staff_otp: bool = False) -> tuple[User, str]:
    # Every demo user shares one password: hash it once (Argon2 is slow on purpose).
    user = User(username=username, display_name=name, password=password_hash)
    if phone:
        user.phone_hash, user.phone_cipher = blind_index(phone), encrypt(phone)
    secret = ""
    if staff_otp:
        secret = pyotp.random_base32()
        user.otp_secret_cipher = encrypt(secret)
        user.otp_confirmed_at = timezone.now()
    user.save()
    return user, secret


def demo_users(tree: DemoTree) -> list[DemoLogin]:
    a, b = tree.communities
    grid_a1, grid_b1 = tree.grids[0], tree.grids[3]
    dwelling_a, dwelling_b = tree.dwellings[0], tree.dwellings[-1]
    plan = [
        ("admin", "管理员 王强", Role.ADMIN, tree.district, None, "", True),
        # A community's own administrator, to try what is scoped to one community (the
        # handling-unit pages: the street-wide units are seen but not renamed by them).
        ("admin_a", "花楼社区管理员 高峰", Role.ADMIN, a, None, "", True),
        ("leader", "街道主任 李华", Role.LEADER, tree.street, None, "", True),
        ("dispatcher", "花楼受理员 陈静", Role.DISPATCHER, a, None, "", True),
        ("dispatcher_b", "水塔受理员 周敏", Role.DISPATCHER, b, None, "", True),
        ("grid", "花楼网格员 刘洋", Role.GRID_WORKER, grid_a1, None, "13900000011", False),
        ("grid_b", "水塔网格员 赵磊", Role.GRID_WORKER, grid_b1, None, "13900000012", False),
        ("property", "花楼物业 孙师傅", Role.UNIT_MEMBER, a, "property_a", "", False),
        ("repair", "维修队 吴师傅", Role.UNIT_MEMBER, tree.street, "repair", "", False),
        ("resident", "居民 张秀兰", Role.RESIDENT, dwelling_a, None, "13800000001", False),
        ("resident_b", "居民 黄建国", Role.RESIDENT, dwelling_b, None, "13800000002", False),
        ("volunteer", "志愿者 何晓", Role.VOLUNTEER, a, None, "13800000003", False),
        ("mediator", "调解员 郑德明", Role.MEDIATOR, a, None, "", False),
        ("mediator_b", "调解员 秦玉兰", Role.MEDIATOR, b, None, "", False),
        *_case_plan(tree),
        *_volunteer_plan(tree),
    ]
    password_hash = make_password(DEMO_PASSWORD)
    logins = []
    for username, name, role, area, unit_key, phone, otp in plan:
        user, secret = _user(username, name, password_hash, phone, staff_otp=otp)
        unit = tree.units[unit_key] if unit_key else None
        RoleAssignment.objects.create(user=user, role=role, area=area, unit=unit)
        if role == Role.ADMIN:
            user.is_staff = True
            user.is_superuser = area == tree.district  # the district's admin runs the system
            user.save(update_fields=["is_staff", "is_superuser"])
        logins.append(DemoLogin(username, name, role, area.full_name(), phone, secret))
    # The volunteer is also a resident of community A.
    volunteer = User.objects.get(username="volunteer")
    RoleAssignment.objects.create(user=volunteer, role=Role.RESIDENT, area=tree.dwellings[7])
    for username, index in VOLUNTEER_HOMES.items():  # the other volunteers live there too
        RoleAssignment.objects.create(user=User.objects.get(username=username),
                                      role=Role.RESIDENT, area=tree.dwellings[index])
    return logins


# Dwellings (index in the demo tree) of the volunteers below: 0-143 are in community A.
VOLUNTEER_HOMES = {"volunteer_a2": 30, "volunteer_a3": 95, "volunteer_b": 170,
                   "volunteer_b2": 250}


def _volunteer_plan(tree: DemoTree) -> list[tuple]:
    """Volunteers for the volunteering demo, besides `volunteer`: residents who also hold
    the volunteer role in their community."""
    a, b = tree.communities
    return [
        ("volunteer_a2", "志愿者 罗文", Role.VOLUNTEER, a, None, "13800000008", False),
        ("volunteer_a3", "志愿者 宋佳", Role.VOLUNTEER, a, None, "13800000009", False),
        ("volunteer_b", "志愿者 唐军", Role.VOLUNTEER, b, None, "13800000010", False),
        ("volunteer_b2", "志愿者 韦丽", Role.VOLUNTEER, b, None, "13800000011", False),
    ]


def _case_plan(tree: DemoTree) -> list[tuple]:
    """The people the demo cases need besides the core roles: a grid worker in every grid
    (someone must verify on site), a member for every handling unit, and more reporters."""
    b = tree.communities[1]
    grids, dwellings = tree.grids, tree.dwellings
    return [
        ("grid_a2", "花楼网格员 许婷", Role.GRID_WORKER, grids[1], None, "13900000013", False),
        ("grid_a3", "花楼网格员 彭勇", Role.GRID_WORKER, grids[2], None, "13900000014", False),
        ("grid_b2", "水塔网格员 曹丽", Role.GRID_WORKER, grids[4], None, "13900000015", False),
        ("grid_b3", "水塔网格员 邓超", Role.GRID_WORKER, grids[5], None, "13900000016", False),
        ("property_b", "水塔物业 钱师傅", Role.UNIT_MEMBER, b, "property_b", "", False),
        ("cleaning", "环卫保洁 马师傅", Role.UNIT_MEMBER, tree.street, "cleaning", "", False),
        ("urban", "城管队员 冯伟", Role.UNIT_MEMBER, tree.street, "urban", "", False),
        ("police", "社区民警 韩冬", Role.UNIT_MEMBER, tree.street, "police", "", False),
        ("judicial", "司法所 林芳", Role.UNIT_MEMBER, tree.street, "judicial", "", False),
        ("gas", "燃气抢修 许师傅", Role.UNIT_MEMBER, tree.street, "gas", "", False),
        ("resident_c", "居民 王桂芳", Role.RESIDENT, dwellings[60], None, "13800000004", False),
        ("resident_d", "居民 李明", Role.RESIDENT, dwellings[110], None, "13800000005", False),
        ("resident_e", "居民 陈淑珍", Role.RESIDENT, dwellings[150], None, "13800000006",
         False),
        ("resident_f", "居民 杨志强", Role.RESIDENT, dwellings[200], None, "13800000007",
         False),
    ]


def demo_step_users(demo: DemoContext) -> None:
    demo.logins.extend(demo_users(demo.tree))
    demo.password = DEMO_PASSWORD


DEMO_STEPS = [(30, demo_step_users)]
