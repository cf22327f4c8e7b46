"""Admin pages of core: the audit log, read-only. Also installs Linli's admin-site rules."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from linli.core import selectors
from linli.core.access import access
from linli.core.admin_base import AuditedModelAdmin, install
from linli.core.models import AuditEntry

install(admin.site)


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedModelAdmin):
    """History is only read: no add, change or delete, whoever asks."""

    list_display = ("at", "actor_label", "action", "object_label", "object_type", "channel", "ip")
    list_filter = ("action", "channel", ("at", admin.DateFieldListFilter))
    search_fields = ("actor_label", "object_label")
    fields = ("at", "actor_label", "action", "object_type", "object_id", "object_label",
              "changes_readable", "area_path", "ip", "channel")
    readonly_fields = fields
    show_full_result_count = False  # counting a large log twice per page is slow

    def has_module_permission(self, request) -> bool:
        return access().is_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return access().is_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return selectors.audit_list(actor=request.user)

    @admin.display(description=_("changes"))
    def changes_readable(self, entry: AuditEntry) -> str:
        text = json.dumps(entry.changes, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html("<pre>{}</pre>", text)
