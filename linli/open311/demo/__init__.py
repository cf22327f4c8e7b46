"""The demo Open311 jurisdiction over the first demo community. Loaded by `linli demo`
(`linli.core.demo`).

The code is in `jurisdiction.py`. The names are re-exported here, so `from
linli.open311.demo import X` works.
"""

from linli.open311.demo.jurisdiction import (
    DEMO_JURISDICTION,
    DEMO_SANDBOX,
    DEMO_STEPS,
    demo_open311,
)

__all__ = ["DEMO_JURISDICTION", "DEMO_SANDBOX", "DEMO_STEPS", "demo_open311"]
