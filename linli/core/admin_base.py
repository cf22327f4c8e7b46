"""The Django admin, made safe for Linli.

- Only administrators (the `admin` role, or system administrators) enter it, and they log in
  through Linli's own login page, which enforces the TOTP second factor; Django's admin
  login form and password-change form are never shown.
- `AuditedModelAdmin` is the base of every Linli admin page: permissions come from the
  admin role rather than Django's model permissions, rows are limited to the admin's areas
  (`scope_queryset`), and every write is audited: a `ServiceForm` writes through a service
  (which audits and checks permission itself); any other save or delete is audited here.
"""

from types import MethodType
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.core.access import access
from linli.core.audit import audit_record
from linli.core.errors import ApplicationError
from linli.core.redirects import local_url


def is_site_admin(user) -> bool:
    """May this person use the admin site at all? What they see there is scoped further."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return access().is_admin(user)


class SiteAdminInline(admin.TabularInline):
    """Rows edited inside their parent's admin page, by the admin role (not Django's model
    permissions), as on every Linli admin page."""

    def has_add_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user)


def _has_permission(site: admin.AdminSite, request) -> bool:
    return is_site_admin(request.user)


def _login(site: admin.AdminSite, request, extra_context=None):
    """Send people to Linli's login (password, then second factor) and back here after."""
    target = local_url(request, request.GET.get("next"),
                       reverse("admin:index", current_app=site.name))
    if request.user.is_authenticated:
        if is_site_admin(request.user):
            return HttpResponseRedirect(target)
        raise DjangoPermissionDenied  # logged in, but not an administrator
    return redirect_to_login(target, reverse("accounts:login"))


def _password_change(site: admin.AdminSite, request, extra_context=None):
    # Passwords change on the account page, through the service that checks strength.
    return HttpResponseRedirect(reverse("accounts:profile"))


def install(site: admin.AdminSite) -> None:
    """Point `site` at Linli's permission check and login. Called from core/admin.py, which
    the admin's autodiscovery imports before the URLs are built."""
    site.has_permission = MethodType(_has_permission, site)  # type: ignore[method-assign]
    site.login = MethodType(_login, site)  # type: ignore[method-assign]
    site.password_change = MethodType(_password_change, site)  # type: ignore[method-assign]
    site.site_header = _("Linli administration")
    site.site_title = _("Linli administration")
    site.index_title = _("Administration")


class ServiceForm(forms.ModelForm):
    """An admin form whose save is a service call.

    Django checks the field input; then, instead of the model's own validation, the service
    runs (inside the admin's transaction), so its rules, permission check and audit apply
    and its ApplicationError is shown on the form. `apply` returns the saved object.
    """

    actor: Any = None

    def apply(self) -> models.Model:
        raise NotImplementedError

    def _post_clean(self) -> None:
        if self.errors:  # already computed by full_clean, which calls this last
            return
        try:
            self.instance = self.apply()
        except ApplicationError as exc:
            self.add_error(None, exc.message)


def _text(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.QuerySet | list | tuple | set):
        return [str(v.pk if isinstance(v, models.Model) else v) for v in value]
    return str(value.pk if isinstance(value, models.Model) else value)


class AuditedModelAdmin(admin.ModelAdmin):
    """Base for Linli admin pages: role-based permissions, scoped rows, audited writes.

    Deleting is off unless a subclass allows it: tree nodes and history are not deleted from
    here. Subclasses override `scope_queryset` to say what an area administrator sees (the
    default shows them nothing; system administrators see everything).
    """

    def has_module_permission(self, request) -> bool:
        return is_site_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return is_site_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else self.scope_queryset(request, qs)

    def scope_queryset(self, request, qs):
        return qs.none()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A fresh subclass per request, so the acting user never leaks between requests.
        return type(form.__name__, (form,), {"actor": request.user})

    def _scoped_choices(self, db_field, request):
        related = self.admin_site._registry.get(db_field.related_model)
        return related.get_queryset(request) if isinstance(related, AuditedModelAdmin) else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only rows the admin may see on their own page: the same scope everywhere.
        choices = self._scoped_choices(db_field, request)
        if choices is not None:
            kwargs.setdefault("queryset", choices)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = self._scoped_choices(db_field, request)
        if choices is not None:
            kwargs.setdefault("queryset", choices)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _action(self, verb: str) -> str:
        return f"{self.opts.model_name}.{verb}"

    def audit_area_path(self, obj) -> str:
        """Where the audit entry of a change made here is filed ("" = the object's own area,
        if it has one); override for objects that have no area field, like users."""
        return ""

    def save_model(self, request, obj, form, change) -> None:
        if isinstance(form, ServiceForm):
            return  # the service saved and audited it
        changes = {name: [_text(form.initial.get(name)), _text(form.cleaned_data.get(name))]
                   for name in form.changed_data}
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action=self._action("updated" if change else "created"),
                     obj=obj, changes={**changes, "via": "admin"},
                     area_path=self.audit_area_path(obj))

    def save_related(self, request, form, formsets, change) -> None:
        if not isinstance(form, ServiceForm):
            super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj) -> None:
        audit_record(actor=request.user, action=self._action("deleted"), obj=obj,
                     changes={"via": "admin"}, area_path=self.audit_area_path(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
