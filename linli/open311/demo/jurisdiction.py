"""The demo's Open311 setting: the first demo community published as the default
jurisdiction, and one question on the lift-fault category, so a GeoReport client has
something to list and a definition to read; and a sandbox jurisdiction at the test
endpoint (/open311/test/v2/), on a community of its own that nobody staffs. Keys are not
made here, for production or sandbox: an operator issues one with `linli open311_key
issue`, or `linli open311_jurisdiction add-sandbox sandbox.hualou.example.gov.cn --key APP`
for the sandbox (each is shown once)."""

from linli.cases.models import Category
from linli.core.demo import DemoContext
from linli.open311.models import Datatype
from linli.open311.services import attribute_save, jurisdiction_save, sandbox_add
from linli.orgs.models import Area

DEMO_JURISDICTION = "hualou.linli.demo"
DEMO_SANDBOX = "sandbox.hualou.example.gov.cn"


def demo_open311(community: Area) -> None:
    """Publish `community` (the first demo community) for the demo; meant to run in
    `core.demo.demo_load` after the tree and the categories are loaded."""
    jurisdiction_save(actor=None, jurisdiction=None, jurisdiction_id=DEMO_JURISDICTION,
                      community=community, is_default=True)
    lift = Category.objects.filter(code="01076").first()
    if lift is not None:
        attribute_save(actor=None, attribute=None, category=lift, code="trapped",
                       datatype=Datatype.SINGLE, required=True, order=1,
                       description="电梯里有人被困吗？",
                       values=[{"key": "yes", "name": "有人被困"},
                               {"key": "no", "name": "无人被困"}])


def demo_step_open311(demo: DemoContext) -> None:
    demo_open311(demo.tree.communities[0])


def demo_step_sandbox(demo: DemoContext) -> None:
    # Last of all steps: those that walk every community (the points store, say) must not
    # give the sandbox community residents, staff or anything else.
    sandbox_add(actor=None, jurisdiction_id=DEMO_SANDBOX)


DEMO_STEPS = [(50, demo_step_open311), (999, demo_step_sandbox)]
