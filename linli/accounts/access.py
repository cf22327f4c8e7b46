"""accounts' answers to core's questions about a user (core/access.py), from the scope
helper: AccountsConfig names `ACCESS` as the access provider."""

from django.db.models import Q

from linli.accounts import scope
from linli.accounts.models import Role, RoleAssignment
from linli.accounts.permissions import can_view_audit


class AccountsAccess:
    def roles_of(self, user) -> set[str]:
        return scope.roles_of(user)

    def assignments(self, user) -> list[RoleAssignment]:
        return scope.assignments(user)

    def is_admin(self, user) -> bool:
        return can_view_audit(user)

    def admin_scope_q(self, user, *, path_field: str) -> Q:
        return scope.scope_q(user, roles=[Role.ADMIN], path_field=path_field)


ACCESS = AccountsAccess()
