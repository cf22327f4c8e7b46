"""Daily reports' test set-up around the standard `world`: gina files for grid A1.

cat: a leaf case category · rosa: a resident of dwelling A in gina's care plan ·
gary: a grid worker of grid A2 · greta: a grid worker of community B's grid.
"""

import pytest

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.tests.factories import category
from linli.people.tests.factories import cared_for, resident, standard_tags


@pytest.fixture
def daily(world):
    w = world
    standard_tags()
    w.cat = category()
    w.rosa = resident(w.alice, w.dwelling_a, name="王秀英")
    cared_for(w.alice, w.rosa, w.gina)
    w.gary = UserFactory(username="gary")
    assign(w.gary, Role.GRID_WORKER, w.grid_a2)
    w.greta = UserFactory(username="greta")
    assign(w.greta, Role.GRID_WORKER, w.grid_b1)
    return w
