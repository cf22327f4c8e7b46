"""Users, roles scoped to areas, and API tokens.

A role assignment is (user, role, area): the one scope mechanism. A unit member's assignment
also names their handling unit; a resident's area is their dwelling.
"""

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.orgs.models import Area, Unit


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident")
    GRID_WORKER = "grid_worker", _("grid worker")
    DISPATCHER = "dispatcher", _("dispatcher")
    UNIT_MEMBER = "unit_member", _("unit member")
    VOLUNTEER = "volunteer", _("volunteer")
    MEDIATOR = "mediator", _("mediator")
    LEADER = "leader", _("leader")
    PARTY_WORKER = "party_worker", _("party-work staff")  # 党务工作者: the party app's data
    ADMIN = "admin", _("administrator")


# Roles that must pass a TOTP second factor at login (等保 2.0 level 3).
SECOND_FACTOR_ROLES = frozenset({Role.DISPATCHER, Role.LEADER, Role.PARTY_WORKER,
                                 Role.ADMIN})
# Roles whose holders work for the community (not residents or outside units).
STAFF_ROLES = frozenset(
    {Role.GRID_WORKER, Role.DISPATCHER, Role.MEDIATOR, Role.LEADER, Role.PARTY_WORKER,
     Role.ADMIN}
)


class LinliUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, username, email, password, **extra_fields):
        # Django's manager expects an email; Linli users log in by username or phone.
        user = self.model(username=username, email=email or "", **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    username = models.CharField(_("username"), max_length=64, unique=True)
    display_name = models.CharField(_("name"), max_length=64, blank=True)
    # Login by phone: stored as a keyed hash (lookup) plus ciphertext (display), never plain.
    phone_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    phone_cipher = models.TextField(blank=True, default="")
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin site access"), default=False)
    otp_secret_cipher = models.TextField(blank=True, default="")
    otp_confirmed_at = models.DateTimeField(null=True, blank=True)
    otp_last_step = models.BigIntegerField(default=0)  # refuses a replayed code
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = LinliUserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash"], condition=~models.Q(phone_hash=""),
                name="user_phone_unique",
            ),
            # Logins match usernames case-insensitively, so "Bob" and "bob" must not both
            # exist, even when two requests race past the service's check.
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def phone_masked(self) -> str:
        from linli.core.crypto import decrypt, mask_phone

        return mask_phone(decrypt(self.phone_cipher)) if self.phone_cipher else ""


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("area"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="members", verbose_name=_("handling unit"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "area"], name="assignment_unique"),
            models.CheckConstraint(
                condition=(models.Q(role="unit_member", unit__isnull=False)
                           | (~models.Q(role="unit_member") & models.Q(unit__isnull=True))),
                name="assignment_unit_iff_unit_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area}"


class ApiToken(models.Model):
    """A bearer token for apps. Only a hash is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
