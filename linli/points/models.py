"""The points ledger (积分): double entry, immutable, never overdrawn.

Every posting is one `Entry` row that moves a positive amount from one account to another,
so each posting sums to zero by construction. A database trigger applies each entry to the
two balances in the same statement, and a CHECK keeps every balance but the issuer's at or
above zero: an overdraft fails in the database even if a bug slipped past the service.
Entries are append-only (trigger); a correction is a reversal entry.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.models import AppendOnlyModel
from linli.orgs.models import Area


class AccountKind(models.TextChoices):
    ISSUER = "issuer", _("community (issuer)")   # the source of points: goes negative
    RESIDENT = "resident", _("resident")
    STORE = "store", _("points store")
    HOLD = "hold", _("held for redemptions")


class Account(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=AccountKind.choices)
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="points_accounts")
    balance = models.BigIntegerField(_("balance"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [
            models.CheckConstraint(condition=models.Q(balance__gte=0) | models.Q(kind="issuer"),
                                   name="account_never_negative"),
            models.UniqueConstraint(fields=["kind", "community", "owner"],
                                    name="account_unique_per_owner"),
            models.UniqueConstraint(fields=["kind", "community"],
                                    condition=models.Q(owner__isnull=True),
                                    name="account_unique_per_community"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.owner or self.community}"


class EntryKind(models.TextChoices):
    EARN = "earn", _("earned")
    HOLD = "hold", _("held for a redemption")
    REDEEM = "redeem", _("redeemed")
    RELEASE = "release", _("hold released")
    REVERSAL = "reversal", _("reversal")
    GRANT = "grant", _("granted by staff")


class Entry(AppendOnlyModel):
    """One posting: `amount` points from `debit` to `credit`."""

    key = models.CharField(max_length=128, unique=True)  # idempotency key of the posting
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    debit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="debits")
    credit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="credits")
    amount = models.BigIntegerField(_("amount"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    # For earnings: which rule paid it, so per-period caps can be counted.
    earning_action = models.CharField(max_length=24, blank=True)
    # What the posting is for ("volunteering.claim:42", "store.redemption:7"), for statements.
    source = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="entry_positive"),
            models.CheckConstraint(condition=~models.Q(debit=models.F("credit")),
                                   name="entry_two_accounts"),
        ]
        indexes = [
            models.Index(fields=["debit", "id"]),
            models.Index(fields=["credit", "id"]),
            models.Index(fields=["credit", "earning_action", "created_at"]),
        ]


class EarningAction(models.TextChoices):
    VOLUNTEER_HOUR = "volunteer_hour", _("volunteer hour")
    ADOPTED_PROPOSAL = "adopted_proposal", _("adopted proposal")
    MEDIATION_HELP = "mediation_help", _("help with a mediation")
    ACTIVITY_ATTENDANCE = "activity_attendance", _("activity attendance")
    MEETING_ATTENDANCE = "meeting_attendance", _("attendance at a deliberation meeting")


class CapPeriod(models.TextChoices):
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class EarningRule(models.Model):
    """How many points one unit of an action earns in a community, and the most one person
    may earn from it per period."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=24, choices=EarningAction.choices)
    points_per_unit = models.PositiveIntegerField(_("points per unit"))
    cap = models.PositiveIntegerField(_("cap per person"), null=True, blank=True)
    cap_period = models.CharField(_("cap period"), max_length=8, choices=CapPeriod.choices,
                                  default=CapPeriod.MONTH)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("earning rule")
        verbose_name_plural = _("earning rules")
        constraints = [models.UniqueConstraint(fields=["community", "action"],
                                               name="earning_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.points_per_unit}"


# --- the points store (爱心超市) -------------------------------------------------------------

class ItemKind(models.TextChoices):
    GOODS = "goods", _("goods")
    SERVICE = "service", _("service")


class StoreItem(models.Model):
    """Something a community's store offers for points. `stock` only moves through the
    store services, with conditional updates, and the database refuses it below zero."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices,
                            default=ItemKind.GOODS)
    price_points = models.IntegerField(_("price in points"))
    stock = models.IntegerField(_("stock"), default=0)
    per_person_limit = models.IntegerField(_("limit per person per month"), null=True,
                                           blank=True)
    is_active = models.BooleanField(_("on offer"), default=True)
    # Stored only after `linli.core.images` checked it and stripped its metadata.
    image = models.ImageField(upload_to="store/%Y/%m/", blank=True)
    thumbnail = models.ImageField(upload_to="store/%Y/%m/thumbs/", blank=True)
    image_type = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("store item")
        verbose_name_plural = _("store items")
        ordering = ["community", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_points__gt=0),
                                   name="store_item_price_positive"),
            models.CheckConstraint(condition=models.Q(stock__gte=0),
                                   name="store_item_stock_never_negative"),
            models.CheckConstraint(condition=models.Q(per_person_limit__isnull=True)
                                   | models.Q(per_person_limit__gte=1),
                                   name="store_item_limit_positive"),
            models.UniqueConstraint(fields=["community", "name"],
                                    name="store_item_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RedemptionState(models.TextChoices):
    HELD = "held", _("held, waiting at the desk")
    COMPLETED = "completed", _("handed over")
    CANCELLED = "cancelled", _("cancelled")


class Redemption(models.Model):
    """A resident spending points on an item. Its history is in the ledger: the hold entry
    when placed, then one redeem (completed) or release (cancelled) entry, each with who
    and when; `state` only moves out of `held`, once, by a conditional update."""

    item = models.ForeignKey(StoreItem, on_delete=models.PROTECT, related_name="redemptions",
                             verbose_name=_("item"))
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="redemptions", verbose_name=_("resident"))
    key = models.CharField(max_length=128)  # the resident's idempotency key
    quantity = models.IntegerField(_("quantity"))
    points = models.BigIntegerField(_("points"))
    state = models.CharField(_("state"), max_length=10, choices=RedemptionState.choices,
                             default=RedemptionState.HELD)
    hold_entry = models.OneToOneField(Entry, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    settle_entry = models.OneToOneField(Entry, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("handled by"))
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1),
                                   name="redemption_quantity_positive"),
            models.CheckConstraint(condition=models.Q(points__gt=0),
                                   name="redemption_points_positive"),
            models.UniqueConstraint(fields=["resident", "key"], name="redemption_key_unique"),
        ]
        indexes = [
            models.Index(fields=["community", "state", "id"]),
            models.Index(fields=["resident", "item", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"
