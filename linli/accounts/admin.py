"""Admin pages of accounts. Accounts and roles are written through accounts.services; the
few user fields editable here are audited by AuditedModelAdmin."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from linli.accounts import otp, scope, selectors, services
from linli.accounts.models import ApiToken, RoleAssignment, User
from linli.accounts.permissions import can_manage_area, can_manage_user
from linli.accounts.validators import PHONE_RE, normalize_phone, password_rules
from linli.core.admin_base import AuditedModelAdmin, ServiceForm, is_site_admin
from linli.core.crypto import blind_index
from linli.core.errors import ApplicationError

# Linli grants rights by role assignments scoped to areas; Django's groups would be a
# second, unscoped mechanism, so they are not offered.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class UserAddForm(ServiceForm):
    phone = forms.CharField(label=_("Mobile phone"), required=False, max_length=20)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False,
                                help_text=lazy(password_rules, str)())
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput,
                                strip=False)

    class Meta:
        model = User
        fields = ["username", "display_name", "email"]

    def clean(self):
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", gettext("The two passwords differ."))
        return data

    def apply(self) -> User:
        data = self.cleaned_data
        return services.user_create(actor=self.actor, username=data["username"],
                                    password=data["password1"],
                                    display_name=data.get("display_name") or "",
                                    phone=data.get("phone") or "", email=data.get("email") or "")


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    list_display = ("username", "display_name", "is_active", "last_login", "date_joined")
    list_filter = ("is_active",)
    search_fields = ("username", "display_name", "email")
    ordering = ("username",)
    actions = ["reset_second_factor"]

    def scope_queryset(self, request, qs):
        return qs.filter(pk__in=selectors.user_list(actor=request.user).values("pk"))

    def has_change_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user) and (obj is None or can_manage_user(request.user, obj))

    def audit_area_path(self, obj) -> str:
        return scope.home_path(obj)  # disabling an account shows to the admins of its area

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "display_name", "email", "phone", "password1", "password2"]
        return ["username", "display_name", "email", "is_active", "phone_masked",
                "second_factor", "roles", "last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("username", "phone_masked", "second_factor", "roles", "last_login",
                "date_joined")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = UserAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        found, distinct = super().get_search_results(request, queryset, search_term)
        phone = normalize_phone(search_term)
        if PHONE_RE.match(phone):  # phones are stored hashed: only an exact number matches
            found = found | queryset.filter(phone_hash=blind_index(phone))
        return found, distinct

    @admin.display(description=_("mobile phone"))
    def phone_masked(self, user: User) -> str:
        return user.phone_masked

    @admin.display(description=_("second factor"), boolean=True)
    def second_factor(self, user: User) -> bool:
        return user.otp_confirmed_at is not None

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return "; ".join(str(a) for a in user.assignments.select_related("area", "unit"))

    @admin.action(description=_("Reset second factor"))
    def reset_second_factor(self, request, queryset) -> None:
        done = 0
        for user in queryset:
            try:
                otp.otp_reset(actor=request.user, user=user)
            except ApplicationError as exc:
                self.message_user(request, f"{user}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, gettext(
                "Second factor reset for %(n)d accounts; they enrol again at next login.")
                % {"n": done}, messages.SUCCESS)


class RoleAssignmentForm(ServiceForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "area", "unit"]

    def apply(self) -> RoleAssignment:
        data = self.cleaned_data
        return services.role_assign(actor=self.actor, user=data["user"], role=data["role"],
                                    area=data["area"], unit=data.get("unit"))


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    """Assignments are added and revoked, never edited."""

    form = RoleAssignmentForm
    list_display = ("user", "role", "area", "unit", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__display_name", "area__name")
    autocomplete_fields = ("user", "area", "unit")
    list_select_related = ("user", "area", "unit")

    def scope_queryset(self, request, qs):
        return qs.filter(pk__in=selectors.assignment_list(actor=request.user).values("pk"))

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_site_admin(request.user) and (
            obj is None or can_manage_area(request.user, obj.area))

    def delete_model(self, request, obj) -> None:
        services.role_revoke(actor=request.user, assignment=obj)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Tokens are made by their owners; here they are only listed and revoked."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "revoked_at",
                    "last_used_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix", "user__username")
    fields = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = fields
    list_select_related = ("user",)
    actions = ["revoke"]

    def scope_queryset(self, request, qs):
        return qs.filter(user__in=selectors.user_list(actor=request.user).values("pk"))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.select_related("user"):
            try:
                services.api_token_revoke(actor=request.user, token=token)
            except ApplicationError as exc:
                self.message_user(request, f"{token}: {exc.message}", messages.ERROR)
