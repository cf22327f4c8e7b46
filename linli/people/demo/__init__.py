"""The demo registers: households, residents and their care. Loaded by `linli demo`
(`linli.core.demo`).

The code is in `people.py`; `data.py` holds the name and text tables, `care_tags.py` the
seven standard care tags. The names are re-exported here, so `from linli.people.demo import
X` works.
"""

from linli.people.demo.people import (
    DEMO_STEPS,
    KINDS,
    REFERENCE,
    SEED,
    TAGGED,
    Demo,
    Person,
    demo_people,
)

__all__ = ["DEMO_STEPS", "KINDS", "REFERENCE", "SEED", "TAGGED", "Demo", "Person", "demo_people"]
