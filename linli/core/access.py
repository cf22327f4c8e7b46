"""Who someone is, as core's own pages need it (home, the audit log, the admin site).

Roles and areas belong to accounts, which core does not import: the one installed app whose
AppConfig names an `access_provider` ("module.attribute") answers these questions instead.
"""

from collections.abc import Iterable
from functools import cache
from typing import Any, Protocol

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.module_loading import import_string


class Access(Protocol):
    def roles_of(self, user) -> set[str]:
        """The user's roles, anywhere; none for the anonymous."""

    def assignments(self, user) -> Iterable[Any]:
        """The user's role assignments, as the home page lists them."""

    def is_admin(self, user) -> bool:
        """A system administrator, or an administrator of some area."""

    def admin_scope_q(self, user, *, path_field: str) -> Q:
        """Rows whose `path_field` (an area path) lies within the user's admin areas."""


@cache
def access() -> Access:
    named = [config.access_provider for config in apps.get_app_configs()  # type: ignore[attr-defined]
             if getattr(config, "access_provider", "")]
    if len(named) != 1:
        raise ImproperlyConfigured(f"Exactly one installed app names an access_provider; "
                                   f"found {named or 'none'}.")
    return import_string(named[0])
