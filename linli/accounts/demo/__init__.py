"""The demo logins: one per role, in the demo tree's areas. Loaded by `linli demo`
(`linli.core.demo`).

The code is in `users.py`. The names are re-exported here, so `from linli.accounts.demo
import X` works.
"""

from linli.accounts.demo.users import (
    DEMO_PASSWORD,
    DEMO_STEPS,
    VOLUNTEER_HOMES,
    DemoLogin,
    demo_users,
)

__all__ = ["DEMO_PASSWORD", "DEMO_STEPS", "VOLUNTEER_HOMES", "DemoLogin", "demo_users"]
