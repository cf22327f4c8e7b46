"""The service library (社区服务资源库): who serves the community, what they offer, who booked
it, and the needs it is matched to.

- A `Provider` is an organisation (a social organisation, a professional agency, a
  volunteer team, a shop, a co-building unit) or a person: a skilled resident (能人) from
  the registry, listed only with their consent (a database CHECK). A provider may be a
  community partner (社区合伙人) by one or more cooperation modes, and what they give is
  recorded as `Contribution`s.
- A `Service` is what a provider offers: a kind, a price (free, yuan or points), an
  audience (a place, maybe only a care group) and `Slot`s with a capacity; or, for a venue
  (书屋, 活动室, 健康小屋), `Room`s booked by the hour within its `OpeningHours`.
- A `Booking` is one resident's place in a slot or one room's hours. A slot's `taken`
  counts its live bookings (a CHECK backs the capacity); a room's live bookings never
  overlap (each booking write locks the room's row). A points-priced booking holds the
  points in the ledger until it is served (paid) or given back (released). Its moves:
  `transitions.BOOKINGS`.
- A `Need` is what a resident asks for (a survey answer, a request with no slot, a need
  staff note): classified 急 / 难 / 愁 / 盼, matched to a provider (`Match`, with its
  outcome, so the library learns who delivers) and turned into a case, a volunteering
  task, a deliberation topic or a booking. Its moves: `transitions.NEEDS`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import SubjectEvent
from linli.orgs.models import Area, Unit

MAX_TEXT = 2000


class Event(SubjectEvent):
    """The history of a booking or a need: one row per move (`events.py`)."""

    class Meta(SubjectEvent.Meta):
        indexes = [models.Index(fields=["subject", "subject_id"])]


# --- providers -------------------------------------------------------------------------------

class ServiceKind(models.TextChoices):
    ELDERLY_CARE = "elderly_care", _("elderly care")      # 助老服务
    CHILDCARE = "childcare", _("childcare")                # 托育看护
    HOUSEKEEPING = "housekeeping", _("housekeeping")       # 家政保洁
    REPAIR = "repair", pgettext_lazy("service", "repairs")  # 家电维修, 水电维修
    HEALTH = "health", _("health and free clinics")       # 义诊, 健康咨询
    LEGAL = "legal", _("legal advice")                     # 法律咨询
    TUTORING = "tutoring", _("tutoring")                   # 课业辅导, 四点半课堂
    COUNSELLING = "counselling", _("counselling")          # 心理疏导
    VENUE = "venue", pgettext_lazy("service kind", "venue")  # 书屋, 活动室, 健康小屋
    OTHER = "other", pgettext_lazy("service", "other")


class ProviderKind(models.TextChoices):
    SOCIAL_ORG = "social_org", _("social organisation")    # 社会组织
    AGENCY = "agency", _("professional agency")            # 专业机构
    VOLUNTEER_TEAM = "team", _("volunteer team")           # 志愿服务队
    SHOP = "shop", _("shop")                                # 商户
    UNIT = "unit", _("co-building unit")                    # 共建单位
    SKILLED = "skilled", _("skilled resident")              # 能人, 社区运营官


PERSON_KINDS = frozenset({ProviderKind.SKILLED})


class Mode(models.TextChoices):
    """How a community partner (社区合伙人) cooperates."""

    SERVICE = "service", _("public-good services")         # 公益换服务
    POINTS = "points", _("points exchange")                # 积分兑换
    VENUE = "venue", _("venue for services")               # 场地换服务
    NAMING = "naming", _("honorary naming")                # 荣誉冠名
    DONATION = "donation", _("donation")                   # 爱心捐赠


class ConsentVia(models.TextChoices):
    SELF = "self", _("given online by the resident")
    PAPER = "paper", _("signed on paper, recorded by staff")


class Provider(models.Model):
    """Who serves the community: an organisation or a skilled resident."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("serves"))  # where they serve: matching distance
    area_path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ProviderKind.choices)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True, max_length=MAX_TEXT)
    service_kinds = models.JSONField(_("kinds of service"), default=list, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)  # words to find by
    modes = models.JSONField(_("cooperation modes"), default=list, blank=True)
    phone = models.CharField(_("service phone"), max_length=20, blank=True)  # organisations
    address = models.CharField(_("address"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("unit"))  # its members manage
    resident = models.ForeignKey("people.Resident", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # a person
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_via = models.CharField(max_length=8, choices=ConsentVia.choices, blank=True)
    consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("listed"), default=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name", "pk"]
        constraints = [
            # A skilled resident is a registry person, listed only with their consent.
            models.CheckConstraint(
                condition=~Q(kind="skilled") | Q(resident__isnull=False,
                                                 consent_at__isnull=False),
                name="library_person_with_consent"),
            models.CheckConstraint(condition=Q(kind="skilled") | Q(resident__isnull=True),
                                   name="library_organisation_no_person"),
            models.UniqueConstraint(fields=["community", "resident"],
                                    condition=Q(resident__isnull=False),
                                    name="library_person_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind in PERSON_KINDS


class Gives(models.TextChoices):
    HOURS = "hours", _("service hours")
    VENUE = "venue", _("use of a venue")
    GOODS = "goods", _("goods")
    MONEY = "money", _("money")


GIVES_UNITS = {Gives.HOURS: _("hours"), Gives.VENUE: _("hours"), Gives.GOODS: _("items"),
               Gives.MONEY: _("yuan")}


class Contribution(models.Model):
    """What a partner gave: hours, a venue's use, goods or money, under one mode. Never
    edited; a mistake is voided with a reason and stays in the record."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT,
                                 related_name="contributions")
    mode = models.CharField(_("cooperation mode"), max_length=10, choices=Mode.choices)
    gives = models.CharField(_("gives"), max_length=8, choices=Gives.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=200)
    given_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="library_contribution_positive")]


# --- services, slots, venues -----------------------------------------------------------------

class Price(models.TextChoices):
    FREE = "free", _("free")
    YUAN = "yuan", _("priced in yuan")
    POINTS = "points", _("priced in points")


class Service(models.Model):
    """What a provider offers, to an audience, in slots (or a venue's rooms by the hour)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("who may book"))
    area_path = models.CharField(max_length=255, db_index=True)
    care_tag = models.ForeignKey("people.CareTag", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("only for the care group"))
    kind = models.CharField(_("kind"), max_length=16, choices=ServiceKind.choices)
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), blank=True, max_length=MAX_TEXT)
    place = models.CharField(_("where"), max_length=120, blank=True)
    price = models.CharField(_("price"), max_length=8, choices=Price.choices,
                             default=Price.FREE)
    price_yuan = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2,
                                     null=True, blank=True)
    price_points = models.PositiveIntegerField(_("price (points)"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places per slot"), default=1)
    needs_confirmation = models.BooleanField(_("the provider confirms each booking"),
                                             default=True)
    is_venue = models.BooleanField(pgettext_lazy("service kind", "venue"), default=False)
    is_active = models.BooleanField(_("open for booking"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(price="points") | Q(price_points__gt=0),
                                   name="library_points_priced"),
            models.CheckConstraint(condition=~Q(price="yuan") | Q(price_yuan__gt=0),
                                   name="library_yuan_priced"),
            models.CheckConstraint(condition=Q(capacity__gte=1),
                                   name="library_service_capacity"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def points(self) -> int:
        return (self.price_points or 0) if self.price == Price.POINTS else 0


class Slot(models.Model):
    """A time a service is given, with its places. `taken` counts the live bookings, kept
    with them under the slot's row lock; a CHECK backs the capacity."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"))
    taken = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)  # withdrawn slots take no bookings

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")),
                                   name="library_slot_within_capacity"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="library_slot_ends_after_start"),
            models.UniqueConstraint(fields=["service", "starts_at"], name="library_slot_once"),
        ]


class Room(models.Model):
    """A room of a venue, booked by the hour; its live bookings never overlap."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=60)
    seats = models.PositiveIntegerField(_("seats"), default=10)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "name"],
                                               name="library_room_name_once")]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """When a venue is open on a weekday (0 Monday … 6 Sunday); several rows a day allowed
    (a lunch break)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="library_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")),
                                   name="library_hours_close_after_open"),
        ]


# --- bookings --------------------------------------------------------------------------------

class BookingState(models.TextChoices):
    REQUESTED = "requested", _("awaiting the provider")   # 待确认
    CONFIRMED = "confirmed", pgettext_lazy("booking", "confirmed")  # 已确认
    DECLINED = "declined", pgettext_lazy("booking", "declined")     # 已婉拒
    CANCELLED = "cancelled", pgettext_lazy("booking", "cancelled")  # 已取消
    COMPLETED = "completed", pgettext_lazy("booking", "served")      # 已服务


LIVE_BOOKING = (BookingState.REQUESTED, BookingState.CONFIRMED)


class Booking(models.Model):
    """One resident's booking: a place in a slot, or a room for some hours."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="bookings")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    area_path = models.CharField(max_length=255, db_index=True)  # the service's audience
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT,
                                  related_name="+")
    name = models.CharField(max_length=64)  # as the provider's list shows it (masked there)
    note = models.CharField(_("note for the provider"), max_length=500, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")  # whose points
    state = models.CharField(max_length=12, choices=BookingState.choices)
    version = models.PositiveIntegerField(default=1)
    points = models.PositiveIntegerField(default=0)  # held at booking, paid when served
    hold_entry = models.ForeignKey("points.Entry", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    settle_entry = models.ForeignKey("points.Entry", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    need = models.ForeignKey("Need", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="bookings")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)  # confirmed or declined
    ended_at = models.DateTimeField(null=True, blank=True)  # cancelled or served

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(slot__isnull=True) ^ Q(room__isnull=True),
                                   name="library_booking_slot_or_room"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="library_booking_ends_after_start"),
            models.CheckConstraint(condition=Q(rating__isnull=True)
                                   | Q(rating__gte=1, rating__lte=5, state="completed"),
                                   name="library_booking_rating"),
            models.UniqueConstraint(fields=["slot", "resident"],
                                    condition=Q(state__in=["requested", "confirmed"]),
                                    name="library_booking_once_per_slot"),
        ]


# --- needs and matching ----------------------------------------------------------------------

class Urgency(models.TextChoices):
    """急难愁盼: what is solved first."""

    URGENT = "urgent", _("urgent (急)")
    HARD = "hard", _("hard (难)")
    WORRYING = "worrying", _("worrying (愁)")
    HOPED = "hoped", _("hoped for (盼)")


URGENCY_ORDER = {Urgency.URGENT: 0, Urgency.HARD: 1, Urgency.WORRYING: 2, Urgency.HOPED: 3}


class NeedSource(models.TextChoices):
    SURVEY = "survey", _("needs survey")
    REQUEST = "request", _("request with no slot")
    STAFF = "staff", _("noted by staff")


class NeedState(models.TextChoices):
    OPEN = "open", pgettext_lazy("need", "open")              # 待处理
    MATCHED = "matched", _("matched to a provider")           # 已匹配
    IN_HAND = "in_hand", _("turned into work")                # 已转办
    MET = "met", pgettext_lazy("need", "met")                                     # 已解决
    CLOSED = "closed", _("closed unmet")                      # 已关闭


class Outcome(models.TextChoices):
    """What became of a need: the work it was turned into."""

    CASE = "case", _("a case")
    TASK = "task", _("a volunteering task")
    TOPIC = "topic", _("a deliberation topic")
    BOOKING = "booking", _("a service booking")


class Need(models.Model):
    """What a resident needs, from a survey answer, a request or a staff note."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)
    resident = models.ForeignKey("people.Resident", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("need"), max_length=MAX_TEXT)
    kind = models.CharField(_("kind of service"), max_length=16, choices=ServiceKind.choices,
                            blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices,
                               blank=True)  # confirmed by staff
    urgency_suggested = models.CharField(max_length=10, choices=Urgency.choices, blank=True)
    source = models.CharField(max_length=8, choices=NeedSource.choices)
    state = models.CharField(max_length=10, choices=NeedState.choices,
                             default=NeedState.OPEN)
    version = models.PositiveIntegerField(default=1)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # the current match
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    task = models.ForeignKey("volunteering.Task", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    topic = models.ForeignKey("deliberation.Topic", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField()
    classified_at = models.DateTimeField(null=True, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class MatchOutcome(models.TextChoices):
    PENDING = "pending", pgettext_lazy("match", "pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("did not deliver")


class Match(models.Model):
    """A provider assigned to a need, and whether they delivered: the library's memory of
    who delivers, read by the suggestions."""

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="matches")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="matches")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assigned_at = models.DateTimeField()
    score = models.FloatField(default=0)  # the suggestion's score when assigned
    outcome = models.CharField(max_length=10, choices=MatchOutcome.choices,
                               default=MatchOutcome.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["need"],
                                               condition=Q(outcome="pending"),
                                               name="library_one_pending_match")]
