"""Admin pages: publish communities (jurisdictions), issue and revoke app keys, set the
questions a category asks. Every save is a service call, audited there."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.admin_base import AuditedModelAdmin, ServiceForm, is_site_admin
from linli.core.errors import ApplicationError
from linli.open311 import permissions, services
from linli.open311.models import ApiKey, Jurisdiction, ServiceAttribute
from linli.orgs.models import Area, AreaKind


def _admin_areas(request):
    return scope.in_scope(Area.objects.all(), request.user, roles=[Role.ADMIN], area_field="")


def _communities_only(field):
    """A community picker without the admin's add / change / view links beside it: areas
    are edited in the area tree, not from here."""
    if field is None:
        return field
    field.queryset = field.queryset.filter(kind=AreaKind.COMMUNITY)
    if isinstance(field.widget, RelatedFieldWidgetWrapper):
        field.widget = field.widget.widget
    return field


class JurisdictionForm(ServiceForm):
    class Meta:
        model = Jurisdiction
        fields = ["jurisdiction_id", "community", "is_default", "is_active", "is_sandbox"]

    def apply(self) -> Jurisdiction:
        data = self.cleaned_data
        return services.jurisdiction_save(
            actor=self.actor, jurisdiction=self.instance if self.instance.pk else None,
            jurisdiction_id=data["jurisdiction_id"], community=data["community"],
            is_default=data.get("is_default", False), is_active=data.get("is_active", True),
            is_sandbox=data.get("is_sandbox", False))


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedModelAdmin):
    form = JurisdictionForm
    list_display = ("jurisdiction_id", "community", "is_default", "is_active", "is_sandbox",
                    "updated_at")

    def scope_queryset(self, request, qs):
        return qs.filter(community__in=_admin_areas(request))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return _communities_only(field) if db_field.name == "community" else field


class ApiKeyForm(ServiceForm):
    class Meta:
        model = ApiKey
        fields = ["app_name", "communities", "rate_limit"]

    def apply(self) -> ApiKey:
        data = self.cleaned_data
        communities = list(data.get("communities") or [])
        if self.instance.pk:
            return services.api_key_update(actor=self.actor, api_key=self.instance,
                                           app_name=data["app_name"], communities=communities,
                                           rate_limit=data["rate_limit"])
        key, raw = services.api_key_issue(actor=self.actor, app_name=data["app_name"],
                                          communities=communities,
                                          rate_limit=data["rate_limit"])
        key._raw_key = raw  # type: ignore[attr-defined]  # shown once by response_add
        return key


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedModelAdmin):
    form = ApiKeyForm
    list_display = ("app_name", "prefix", "rate_limit", "created_at", "last_used_at",
                    "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("app_name", "prefix")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def scope_queryset(self, request, qs):
        return qs.filter(communities__in=_admin_areas(request)).distinct()

    def has_change_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user) and (
            obj is None or permissions.can_manage_key(request.user, obj))

    def get_fields(self, request, obj=None):
        # A key being issued has no prefix, issuer or dates yet: show only what is asked.
        fields = super().get_fields(request, obj)
        return fields if obj else [f for f in fields if f not in self.readonly_fields]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "communities":
            # Tick boxes: set before the admin adds its "hold down Control" hint.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return _communities_only(field) if db_field.name == "communities" else field

    def response_add(self, request, obj, post_url_continue=None):
        raw = getattr(obj, "_raw_key", None)
        if raw is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "key": obj, "raw_key": raw,
                   "opts": self.opts, "title": gettext("API key issued")}
        # The admin's views are never_cache: the page with the key is not kept anywhere.
        return TemplateResponse(request, "open311/key_issued.html", context)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        done = 0
        for key in queryset:
            try:
                services.api_key_revoke(actor=request.user, api_key=key)
                done += 1
            except ApplicationError as error:
                messages.error(request, f"{key}: {error.message}")
        messages.success(request, gettext("%(count)d keys revoked.") % {"count": done})


class ServiceAttributeForm(ServiceForm):
    class Meta:
        model = ServiceAttribute
        fields = ["category", "code", "datatype", "description", "datatype_description",
                  "order", "required", "variable", "values"]

    def apply(self) -> ServiceAttribute:
        data = self.cleaned_data
        return services.attribute_save(
            actor=self.actor, attribute=self.instance if self.instance.pk else None,
            category=data["category"], code=data["code"], datatype=data["datatype"],
            description=data["description"], order=data["order"],
            required=data.get("required", False), variable=data.get("variable", True),
            datatype_description=data.get("datatype_description") or "",
            values=data.get("values"))


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(AuditedModelAdmin):
    form = ServiceAttributeForm
    list_display = ("category", "order", "code", "datatype", "required", "description")
    list_filter = ("datatype",)
    search_fields = ("code", "category__code", "description")
    autocomplete_fields = ()

    def scope_queryset(self, request, qs):
        return qs if permissions.can_manage_services(request.user) else qs.none()

    def has_add_permission(self, request) -> bool:
        return is_site_admin(request.user) and permissions.can_manage_services(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request)
