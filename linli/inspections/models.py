"""Safety inspections (安全排查): targets, checklists, campaigns, on-site inspections and the
rectification orders their failed items become (整改通知书), with the problem ledger (问题台账)
read from the orders.

- A `Target` (检查对象) is a premises placed in the area tree; its contact person is
  sealed like the registry's personal data (ciphertext and keyed hashes, shown masked).
- A `Template` is a checklist per topic (燃气、消防、用电、楼道、安全体检), its `TemplateItem`s
  each with a severity. Data, edited by administrators.
- A `Campaign` (排查行动) takes a template's items as they are on the day it is created
  (`CampaignItem`), so later edits never change what was asked; its targets are the active
  targets of its kinds in its areas. A `Schedule` creates campaigns on a recurring day.
- An `Inspection` records one target's answers (`Answer`) once per campaign; each failed
  answer becomes an `Order` at once, which moves along `transitions.TABLE`
  (issued → rectified → closed by sign-off after an on-site re-check, or overdue →
  escalated). `OrderEvent` is the order's append-only history, `OrderPhoto` its evidence.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.clocks import LimitUnit
from linli.core.models import AppendOnlyModel
from linli.orgs.models import Area
from linli.people.models import SensitiveValue

MAX_NOTE = 500  # a failed item's note, typed on a phone


class TargetKind(models.TextChoices):
    SHOP = "shop", _("shop")                              # 商铺
    RESTAURANT = "restaurant", _("restaurant")            # 餐饮
    WORKSHOP = "workshop", _("small workshop")            # 小作坊
    ESTATE = "estate", pgettext_lazy("inspection target", "estate")  # 小区
    BUILDING = "building", pgettext_lazy("inspection target", "building")  # 楼栋
    LIFT = "lift", _("lift")                              # 电梯
    PUBLIC = "public", _("public facility")               # 公共设施
    OTHER = "other", _("other premises")                  # 其他场所


class Topic(models.TextChoices):
    GAS = "gas", _("gas safety")                   # 燃气安全
    FIRE = "fire", _("fire safety")                # 消防安全
    ELECTRICAL = "electrical", _("electrical safety")  # 用电安全
    STAIRWELL = "stairwell", _("stairwell clearance")  # 楼道清理
    CHECKUP = "checkup", _("monthly safety check-up")  # 安全体检日: lifts, gas, fire kit


class Severity(models.TextChoices):
    """Ordered from the lightest. A major hazard (重大事故隐患, 安全生产法 art. 41) carries the
    five fixes: measures, responsibility, funds, time limit and contingency plan."""

    MINOR = "minor", _("minor")      # 轻微: fixed on the spot or within days
    GENERAL = "general", pgettext_lazy("hazard severity", "general")  # 一般隐患
    MAJOR = "major", _("major")      # 重大隐患


class Target(models.Model):
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="inspection_targets",
                             verbose_name=_("place"))
    area_path = models.CharField(max_length=255, db_index=True)  # scope without a join
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=TargetKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)
    operator = models.CharField(_("owner or operator"), max_length=100, blank=True)
    # The contact person, sealed (people.services.identity_seal): never in clear here.
    contact_name_cipher = models.TextField(blank=True, default="")
    contact_name_hash = models.CharField(max_length=64, blank=True, default="")
    contact_phone_cipher = models.TextField(blank=True, default="")
    contact_phone_hash = models.CharField(max_length=64, blank=True, default="",
                                          db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inspection target")
        verbose_name_plural = _("inspection targets")
        ordering = ["area_path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="target_name_once_in_area"),
        ]
        indexes = [models.Index(fields=["community", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_name(self) -> SensitiveValue:
        return SensitiveValue("name", self.contact_name_cipher)

    @property
    def contact_phone(self) -> SensitiveValue:
        return SensitiveValue("phone", self.contact_phone_cipher)


class Template(models.Model):
    """A checklist (检查表) for a topic. Shipped ones (`shipped.py`) and the administrators'."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    # The kinds of target it is meant for; empty: every kind.
    target_kinds = models.JSONField(_("target kinds"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["topic", "name"]

    def __str__(self) -> str:
        return self.name


class TemplateItem(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("check item"), max_length=200)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    # What the order asks the responsible party to do (整改要求), prefilled on the order.
    requirement = models.CharField(_("rectification requirement"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("check item")
        verbose_name_plural = _("check items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Campaign(models.Model):
    """排查行动: a topic, a checklist, areas and a period. Its scope is the common ancestor of
    its areas (`area`, `area_path`): who may run it and who sees its ledger."""

    name = models.CharField(_("name"), max_length=100)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="campaigns",
                                 verbose_name=_("checklist"))
    areas = models.ManyToManyField(Area, related_name="+", verbose_name=_("areas"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)
    # Kinds of target inspected; empty: every kind.
    target_kinds = models.JSONField(_("target kinds"), default=list, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    schedule = models.ForeignKey("Schedule", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="campaign_ends_after_start"),
            # A schedule makes one campaign per day it falls on, however many sweepers run.
            models.UniqueConstraint(fields=["schedule", "starts_on"],
                                    condition=Q(schedule__isnull=False),
                                    name="campaign_once_per_schedule_day"),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignItem(models.Model):
    """A check item as the campaign asks it: copied from the template when the campaign is
    created, so an answer always refers to what the inspector was shown."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    template_item = models.ForeignKey(TemplateItem, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("check item"), max_length=200)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    requirement = models.CharField(_("rectification requirement"), max_length=300)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Schedule(models.Model):
    """A recurring campaign: on the `ordinal` `weekday` of every `every_months`th month (the
    first Monday of each month; ordinal 5 means the last), a campaign of `duration_days`
    is created from the template for the areas. `next_on` is the next day it falls on."""

    name = models.CharField(_("name"), max_length=100)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("checklist"))
    areas = models.ManyToManyField(Area, related_name="+", verbose_name=_("areas"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)
    target_kinds = models.JSONField(_("target kinds"), default=list, blank=True)
    ordinal = models.PositiveSmallIntegerField(_("which week of the month"), default=1)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices,
                                               default=Weekday.MONDAY)
    every_months = models.PositiveSmallIntegerField(_("every how many months"), default=1)
    duration_days = models.PositiveSmallIntegerField(_("campaign length (days)"), default=7)
    next_on = models.DateField(_("next campaign on"), db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recurring campaign")
        verbose_name_plural = _("recurring campaigns")
        ordering = ["next_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ordinal__gte=1, ordinal__lte=5),
                                   name="schedule_ordinal_1_to_5"),
            models.CheckConstraint(condition=Q(every_months__gte=1, every_months__lte=12),
                                   name="schedule_every_1_to_12_months"),
            models.CheckConstraint(condition=Q(duration_days__gte=1, duration_days__lte=90),
                                   name="schedule_duration_1_to_90_days"),
        ]

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    """One target inspected in one campaign, on site. Recorded once: a form submitted again
    after a timeout replays this row (`submission_key`), never a second one."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT,
                                 related_name="inspections")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="inspections")
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)  # the target's
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("inspector"))
    inspected_at = models.DateTimeField(_("inspected at"), db_index=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    # The owner's (or operator's) acknowledgement: their name, typed on the inspector's
    # phone. Kept sealed: it names a person.
    acknowledged_name_cipher = models.TextField(blank=True, default="")
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    failed_count = models.PositiveSmallIntegerField(default=0)
    # The idempotency key (the form's token, an API client's Idempotency-Key) and the keyed
    # fingerprint of what was sent with it: the same key with other answers is refused.
    submission_key = models.CharField(max_length=128)
    request_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "target"],
                                    name="inspection_once_per_campaign_target"),
            models.UniqueConstraint(fields=["inspector", "submission_key"],
                                    name="inspection_submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.campaign}"

    @property
    def acknowledged_name(self) -> SensitiveValue:
        return SensitiveValue("name", self.acknowledged_name_cipher)


class Result(models.TextChoices):
    PASS = "pass", _("pass")                           # 合格
    FAIL = "fail", _("fail")                           # 不合格
    NOT_APPLICABLE = "na", _("not applicable")         # 不适用


class Answer(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE,
                                   related_name="answers")
    item = models.ForeignKey(CampaignItem, on_delete=models.PROTECT, related_name="answers")
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    note = models.CharField(_("note"), max_length=MAX_NOTE, blank=True)

    class Meta:
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="answer_once_per_item"),
        ]


class State(models.TextChoices):
    ISSUED = "issued", _("issued")                     # 已下达
    RECTIFIED = "rectified", _("rectified")            # 已整改, waiting for the re-check
    OVERDUE = "overdue", _("overdue")                  # 逾期未整改
    ESCALATED = "escalated", _("escalated")            # 已上报
    CLOSED = "closed", _("signed off")                 # 已销号


class Order(models.Model):
    """整改通知书: one failed item of one inspection, to be rectified by a deadline."""

    answer = models.OneToOneField(Answer, on_delete=models.PROTECT, related_name="order")
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="orders")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="orders")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="orders")
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)  # the target's
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    hazard = models.TextField(_("hazard"), max_length=1000)          # 隐患描述
    requirement = models.TextField(_("rectification requirement"), max_length=1000)
    responsible_party = models.CharField(_("responsible party"), max_length=100)  # 责任人
    # The responsible party's account, when they have one (a property company's staff): they
    # may record the rectification and never re-check it.
    responsible_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    # The competent unit (主管单位) told when the order is escalated.
    competent_unit = models.ForeignKey("orgs.Unit", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("competent unit"))
    # A major hazard's five fixes (五落实); the time limit is `due_at`.
    plan_measures = models.TextField(_("measures"), max_length=1000, blank=True)
    plan_responsibility = models.CharField(_("responsibility"), max_length=200, blank=True)
    plan_funds = models.CharField(_("funds"), max_length=200, blank=True)
    plan_contingency = models.TextField(_("contingency plan"), max_length=1000, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.ISSUED)
    version = models.PositiveIntegerField(default=1)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    due_at = models.DateTimeField(_("deadline"), db_index=True)  # 整改期限
    warn_at = models.DateTimeField(null=True, blank=True)
    overdue_for = models.DateTimeField(null=True, blank=True)  # the sweep's claim
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True,
                                        db_index=True)
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    rectification_note = models.TextField(_("rectification"), max_length=2000, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)  # 销号日期
    rechecked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("re-checked by"))
    recheck_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    recheck_lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    recheck_distance_m = models.PositiveIntegerField(null=True, blank=True)
    # The case raised for a serious hazard (one step, linked both ways through this key).
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspection_orders", verbose_name=_("case"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["community", "state"]),
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["grid", "due_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"ZG{self.issued_at:%Y%m%d}-{self.pk:05d}" if self.pk else ""


class PhotoPhase(models.TextChoices):
    FINDING = "finding", _("as found")        # taken at the inspection
    BEFORE = "before", _("before")            # 整改前
    AFTER = "after", _("after")               # 整改后
    RECHECK = "recheck", _("at the re-check")  # 复查


class OrderPhoto(models.Model):
    """EXIF stripped (core.images) and served only through a scoped view."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="photos")
    phase = models.CharField(max_length=8, choices=PhotoPhase.choices)
    image = models.ImageField(upload_to="inspections/%Y/%m/")
    thumbnail = models.ImageField(upload_to="inspections/%Y/%m/thumbs/")
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class OrderEvent(AppendOnlyModel):
    """One step of an order: issued, rectified, re-check failed, overdue, escalated, a case
    raised, signed off."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("rectification order event")
        verbose_name_plural = _("rectification order events")
        ordering = ["at", "id"]


class SeverityLimit(models.Model):
    """The rectification deadline per severity, on the working calendar: data an
    administrator edits, read when an order is issued."""

    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices,
                                unique=True)
    amount = models.DecimalField(_("limit"), max_digits=6, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=12, choices=LimitUnit.choices,
                            default=LimitUnit.WORK_DAYS)

    class Meta:
        verbose_name = _("rectification deadline")
        verbose_name_plural = _("rectification deadlines")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="severitylimit_positive")]
