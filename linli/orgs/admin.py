"""Admin pages of the org tree. Every write goes through orgs.services."""

from django.contrib import admin

from linli.accounts import scope
from linli.accounts.models import Role
from linli.accounts.permissions import can_manage_area
from linli.core.admin_base import AuditedModelAdmin, ServiceForm, is_site_admin
from linli.orgs import services
from linli.orgs.models import Area, Unit


class AreaAddForm(ServiceForm):
    class Meta:
        model = Area
        fields = ["kind", "name", "code", "parent", "lat", "lng"]

    def apply(self) -> Area:
        data = self.cleaned_data
        return services.area_create(actor=self.actor, kind=data["kind"], name=data["name"],
                                    parent=data.get("parent"), code=data.get("code") or "",
                                    lat=data.get("lat"), lng=data.get("lng"))


class AreaChangeForm(ServiceForm):
    class Meta:
        model = Area
        fields = ["name", "code", "lat", "lng", "floor_area"]

    def apply(self) -> Area:
        data = self.cleaned_data
        return services.area_update(actor=self.actor, area=self.instance, name=data["name"],
                                    code=data.get("code") or "", lat=data.get("lat"),
                                    lng=data.get("lng"), floor_area=data.get("floor_area"))


@admin.register(Area)
class AreaAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "^code")
    ordering = ("path",)
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    list_per_page = 50

    def scope_queryset(self, request, qs):
        return scope.in_scope(qs, request.user, roles=[Role.ADMIN], area_field="")

    def has_change_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user) and (obj is None or can_manage_area(request.user, obj))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["kind", "name", "code", "parent", "lat", "lng"]
        fields = ["kind", "parent", "name", "code", "lat", "lng", "created_at"]
        if obj.kind == "dwelling":  # owners' votes weigh by it (民法典 art. 278)
            fields.insert(-1, "floor_area")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("kind", "parent", "created_at")

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = AreaAddForm if obj is None else AreaChangeForm
        return super().get_form(request, obj, change=change, **kwargs)


class UnitAddForm(ServiceForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "phone", "service_areas", "supervisor_area"]

    def apply(self) -> Unit:
        data = self.cleaned_data
        return services.unit_create(actor=self.actor, name=data["name"], kind=data["kind"],
                                    service_areas=list(data.get("service_areas") or []),
                                    phone=data.get("phone") or "",
                                    supervisor_area=data.get("supervisor_area"))


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    """Units are added here; editing waits for a unit_update service, so it is read-only."""

    form = UnitAddForm
    list_display = ("name", "kind", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("service_areas", "supervisor_area")

    def scope_queryset(self, request, qs):
        return scope.in_scope(qs, request.user, roles=[Role.ADMIN],
                              area_field="service_areas").distinct()

    def has_change_permission(self, request, obj=None) -> bool:
        return False
