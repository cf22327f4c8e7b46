"""The demo area tree and handling units. Loaded by `linli demo` (`linli.core.demo`).

The code is in `tree.py`. The names are re-exported here, so `from linli.orgs.demo import X`
works.
"""

from linli.orgs.demo.shapes import CENTRE
from linli.orgs.demo.tree import (
    COMMUNITIES,
    DEMO_STEPS,
    DISTRICT,
    STREET,
    DemoTree,
    demo_present,
    demo_tree,
)

__all__ = [
    "CENTRE", "COMMUNITIES", "DEMO_STEPS", "DISTRICT", "STREET",
    "DemoTree", "demo_present", "demo_tree",
]
