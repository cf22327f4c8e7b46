"""The demo setting, loaded by `linli demo`. Each app adds its own step here, in order."""

from django.db import transaction

from linli.accounts.demo import DemoLogin, demo_users
from linli.cases.categories import categories_load
from linli.cases.demo import demo_cases
from linli.core.audit import audit_record
from linli.open311.demo import demo_open311
from linli.orgs.demo import demo_tree
from linli.orgs.models import Area
from linli.people.demo import demo_people
from linli.points.demo import demo_store
from linli.volunteering.demo import demo_volunteering


def demo_loaded() -> bool:
    return Area.objects.exists()


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    categories_load()
    tree = demo_tree()
    logins = demo_users(tree)
    demo_cases(tree)
    demo_open311(tree.communities[0])
    demo_volunteering(tree)
    demo_people(tree)
    demo_store()
    audit_record(actor=None, action="demo.loaded", object_label="demo")
    return logins
