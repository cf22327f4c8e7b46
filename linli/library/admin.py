"""Administrators of an area see the service library's providers and partners'
contributions here and may correct an organisation's public details (audited by
AuditedModelAdmin). Listing a provider, a skilled resident's consent, withdrawing and
contributions go through the pages and their services (their rules and audit), so here a
provider is not added and a contribution is only read; nothing is deleted."""

from django.contrib import admin

from linli.accounts.models import Role
from linli.accounts.scope import scope_q
from linli.core.admin_base import AuditedModelAdmin
from linli.library.models import Contribution, Provider


def _admin_scope(request, qs, path_field: str):
    return qs.filter(scope_q(request.user, roles=[Role.ADMIN], path_field=path_field))


@admin.register(Provider)
class ProviderAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "community", "area", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "skills"]
    fields = ["name", "kind", "community", "area", "description", "skills", "phone",
              "address", "consent_via", "consent_at", "is_active", "withdrawn_at"]
    readonly_fields = ["kind", "community", "area", "consent_via", "consent_at", "is_active",
                       "withdrawn_at"]

    def scope_queryset(self, request, qs):
        return _admin_scope(request, qs, "area_path")

    def has_add_permission(self, request) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_person:  # a person's listing is theirs (consent)
            return [*self.fields]
        return self.readonly_fields

    def audit_area_path(self, obj) -> str:
        return obj.area_path


@admin.register(Contribution)
class ContributionAdmin(AuditedModelAdmin):
    list_display = ["provider", "mode", "gives", "amount", "given_on", "voided_at"]
    list_filter = ["mode", "gives"]
    search_fields = ["provider__name", "description"]

    def scope_queryset(self, request, qs):
        return _admin_scope(request, qs, "provider__area_path")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # never edited: voided with a reason on the provider's page
