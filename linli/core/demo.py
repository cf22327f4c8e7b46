"""The demo setting, loaded by `linli demo`, built from the steps each app declares.

Core imports no app: an app that adds to the demo says so in its own `demo` module (found
like the admin's `admin` modules), with `DEMO_STEPS = [(order, step)]`. Every step takes
the one `DemoContext` the steps share and runs in one transaction, lowest order first. A
`demo` module may also offer `demo_present()`, true when its part is already in the database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from linli.core.audit import audit_record


@dataclass
class DemoContext:
    """What the steps share: orgs' step puts the tree here, accounts' step the logins
    it created and their password; later steps read the tree."""

    tree: Any = None
    logins: list[Any] = field(default_factory=list)
    password: str = ""


DemoStep = Callable[[DemoContext], object]


def _demo_modules() -> list[ModuleType]:
    return [import_module(f"{config.name}.demo") for config in apps.get_app_configs()
            if config.module is not None and module_has_submodule(config.module, "demo")]


def demo_steps() -> list[DemoStep]:
    """Every app's steps, by their declared order (apps' order breaks a tie)."""
    declared = [(order, i, step) for i, module in enumerate(_demo_modules())
                for order, step in getattr(module, "DEMO_STEPS", ())]
    return [step for _order, _i, step in sorted(declared, key=lambda d: d[:2])]


def demo_loaded() -> bool:
    return any(module.demo_present() for module in _demo_modules()
               if hasattr(module, "demo_present"))


@transaction.atomic
def demo_run() -> DemoContext:
    demo = DemoContext()
    for step in demo_steps():
        step(demo)
    audit_record(actor=None, action="demo.loaded", object_label="demo")
    return demo


def demo_load() -> list[Any]:
    """Load the demo; returns the logins (accounts' `DemoLogin`s) to print."""
    return demo_run().logins
