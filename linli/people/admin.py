"""Admin pages of the people app: the care tag list, which administrators edit.

Registers themselves (residents, plans, visits) are not in the admin: they hold encrypted
data and are kept through the registry pages, which mask, scope and audit.
"""

from django.contrib import admin

from linli.core.admin_base import AuditedModelAdmin
from linli.people.models import CareTag


@admin.register(CareTag)
class CareTagAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "is_sensitive", "default_visit_days")
    list_filter = ("is_sensitive",)
    search_fields = ("code", "name")

    def scope_queryset(self, request, qs):
        # One list for the whole deployment: every area administrator sees it.
        return qs

    def get_readonly_fields(self, request, obj=None):
        # Residents' tags are stored as keyed hashes of the code: a renamed code would
        # orphan them. The name, sensitivity and interval stay editable.
        return ("code",) if obj is not None else ()
