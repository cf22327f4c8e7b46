"""`area_get` decides visibility in Python (`_sees`) on a cached row; `area_list` in SQL
(`_visible_q`). They are one rule written twice, so every actor of the test world must get
the same answer from both for every area."""

import pytest

from linli.accounts.tests.factories import UserFactory
from linli.orgs.models import Area
from linli.orgs.selectors import _sees, _visible_q

pytestmark = pytest.mark.django_db


def test_sees_and_visible_q_agree_for_every_actor_and_area(world):
    superuser = UserFactory(username="root", is_superuser=True)
    actors = [world.alice, world.bob, world.gina, world.rita, world.uma, world.leo,
              world.ada, world.nobody, superuser]
    areas = list(Area.objects.all())
    for actor in actors:
        in_sql = set(Area.objects.filter(_visible_q(actor)).values_list("pk", flat=True))
        in_python = {area.pk for area in areas if _sees(actor, area)}
        assert in_python == in_sql, actor.username
