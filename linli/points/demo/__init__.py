"""The demo points store: rules, stock, top-ups and redemptions. Loaded by `linli demo`
(`linli.core.demo`).

The code is in `store.py`. The names are re-exported here, so `from linli.points.demo import
X` works.
"""

from linli.points.demo.store import (
    CATALOGUE,
    DEMO_STEPS,
    RULES,
    TOP_UP,
    demo_store,
)

__all__ = ["CATALOGUE", "DEMO_STEPS", "RULES", "TOP_UP", "demo_store"]
