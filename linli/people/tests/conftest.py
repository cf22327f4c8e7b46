"""The people registry's test set-up: a few residents around the standard `world`.

rosa: 王秀英, dwelling A (grid A1), ID and phone below, linked to rita's login ·
kang: 李强, grid A2 of community A · bo: 赵博, dwelling B (community B).
Extra actors: gary (grid worker A2), mia (mediator A), vic (volunteer A).
"""

from datetime import date

import pytest

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.orgs.tests.factories import make_area
from linli.people.tests.factories import id_number, resident, standard_tags

ROSA_ID = id_number("420103", date(1950, 3, 8), 124)   # female: even 17th digit
ROSA_PHONE = "13612348888"
KANG_ID = id_number("420103", date(1985, 6, 1), 311)
KANG_PHONE = "13987654321"
BO_ID = id_number("420103", date(1990, 12, 31), 517)
BO_PHONE = "18627001234"


@pytest.fixture
def people(world):
    w = world
    standard_tags()
    estate = make_area("estate", "花楼二区", w.grid_a2)
    w.dwelling_a2 = make_area("dwelling", "303", make_area("building", "3栋", estate))
    w.gary = UserFactory(username="gary")
    assign(w.gary, Role.GRID_WORKER, w.grid_a2)
    w.mia = UserFactory(username="mia")
    assign(w.mia, Role.MEDIATOR, w.community_a)
    w.vic = UserFactory(username="vic")
    assign(w.vic, Role.VOLUNTEER, w.community_a)
    w.rosa = resident(w.alice, w.dwelling_a, "王秀英", id_number=ROSA_ID, phone=ROSA_PHONE,
                      user=w.rita)
    w.kang = resident(w.alice, w.dwelling_a2, "李强", id_number=KANG_ID, phone=KANG_PHONE)
    w.bo = resident(w.bob, w.dwelling_b, "赵博", id_number=BO_ID, phone=BO_PHONE)
    return w
