"""Cases and everything that hangs off them: the category tree and its time limits,
routing to units, the append-only event log, photos, extensions, idempotency keys.

Business rules live in `services.py` and `transitions.py`; this file holds tables and the
constraints the database can enforce.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linli.core.clocks import LimitUnit
from linli.core.models import AppendOnlyModel
from linli.orgs.models import Area, Unit


class Triage(models.TextChoices):
    MAJOR = "major", _("major matter (community dispatches)")
    MINOR = "minor", _("minor matter (handled in the grid)")
    PRIVATE = "private", _("private matter (advice to the resident)")


class Priority(models.TextChoices):
    EMERGENCY = "emergency", _("emergency")
    URGENT = "urgent", _("urgent")
    NORMAL = "normal", _("normal")


class Category(models.Model):
    """GB/T 47678.5 codes plus local `L` extensions; defaults that deployments edit."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    triage = models.CharField(_("triage"), max_length=8, choices=Triage.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices,
                                blank=True)
    accept_limit = models.DecimalField(_("acceptance limit"), max_digits=6, decimal_places=2,
                                       null=True, blank=True)
    handle_limit = models.DecimalField(_("handling limit"), max_digits=6, decimal_places=2,
                                       null=True, blank=True)
    limit_unit = models.CharField(_("limit unit"), max_length=12, choices=LimitUnit.choices,
                                  blank=True)
    standard_ref = models.CharField(_("standard"), max_length=64, blank=True)
    # Cases of a non-public category never appear publicly (Open311, boards).
    is_public = models.BooleanField(_("public"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    @property
    def is_group(self) -> bool:
        return not self.triage


class TimeLimit(models.Model):
    """A limit for one category at one priority, overriding the category's defaults."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="limits")
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    accept_limit = models.DecimalField(_("acceptance limit"), max_digits=6, decimal_places=2)
    handle_limit = models.DecimalField(_("handling limit"), max_digits=6, decimal_places=2)
    limit_unit = models.CharField(_("limit unit"), max_length=12, choices=LimitUnit.choices)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [models.UniqueConstraint(fields=["category", "priority"],
                                               name="time_limit_unique")]


class Route(models.Model):
    """Default unit for a category within an area (and everything below it)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routes")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="routes")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="routes")

    class Meta:
        verbose_name = _("default unit")
        verbose_name_plural = _("default units")
        constraints = [models.UniqueConstraint(fields=["category", "area"],
                                               name="route_unique")]


class State(models.TextChoices):
    REPORTED = "reported", _("reported")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    DISPATCHED = "dispatched", _("dispatched")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    REWORK = "rework", _("rework")
    VERIFIED = "verified", _("verified")
    CLOSED = "closed", _("closed")
    ON_HOLD = "on_hold", _("on hold")
    MERGED = "merged", _("merged")


OPEN_STATES = (State.REPORTED, State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS,
               State.RESOLVED, State.REWORK, State.VERIFIED)


class Channel(models.TextChoices):
    RESIDENT_WEB = "resident_web", _("resident (web/app)")
    GRID_PATROL = "grid_patrol", _("grid patrol")
    HOTLINE = "hotline", _("hotline")
    IOT = "iot", _("IoT alarm")
    OPEN311 = "open311", _("Open311")
    API = "api", _("API")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASIC = "basic", _("basically satisfied")
    UNSATISFIED = "unsatisfied", _("unsatisfied")


class Case(models.Model):
    # The district key and a copy of the area's path: big-table partitioning (DESIGN §8)
    # and scope filtering without a join.
    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cases",
                             verbose_name=_("location"))
    area_path = models.CharField(max_length=255, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases",
                                 verbose_name=_("category"))
    triage = models.CharField(_("triage"), max_length=8, choices=Triage.choices)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=4000)
    is_public = models.BooleanField(_("public"), default=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reported_cases",
                                 verbose_name=_("reporter"))
    reporter_name = models.CharField(_("reporter name"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.REPORTED)
    version = models.PositiveIntegerField(default=1)  # every transition bumps it
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="cases", verbose_name=_("handling unit"))
    # The unit routing suggested at report time; the dispatcher may choose another.
    suggested_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    master = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="duplicates", verbose_name=_("merged into"))
    # A timestamp per state.
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    on_hold_at = models.DateTimeField(null=True, blank=True)
    merged_at = models.DateTimeField(null=True, blank=True)
    # Deadlines are data: the sweeper scans these indexed columns. `*_warn_at` is the 80 %
    # point of the limit, so the traffic light is two comparisons with no calendar maths.
    accept_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    accept_warn_at = models.DateTimeField(null=True, blank=True)
    handle_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    handle_warn_at = models.DateTimeField(null=True, blank=True)
    handle_started_at = models.DateTimeField(null=True, blank=True)
    handle_limit = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    limit_unit = models.CharField(max_length=12, choices=LimitUnit.choices, blank=True)
    # The deadline each supervision notice was raised for: one notice per deadline, however
    # many sweepers run; moving the deadline (extension, rework) allows a new one.
    accept_supervised_for = models.DateTimeField(null=True, blank=True)
    handle_supervised_for = models.DateTimeField(null=True, blank=True)
    # Supervision by hand (督办): the open notice's answer time, the timer the sweep reads
    # (null: no notice waits for an answer), when it was issued, the deadline its reminder
    # was raised for, and whether the last notice was answered late.
    notice_due_at = models.DateTimeField(null=True, blank=True)
    notice_issued_at = models.DateTimeField(null=True, blank=True)
    notice_reminded_for = models.DateTimeField(null=True, blank=True)
    notice_answered_late = models.BooleanField(null=True, blank=True)
    # Escalated to the street (上报街道): who, when and why; the street's staff filter on it.
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    escalation_reason = models.TextField(max_length=2000, blank=True)
    resolved_late = models.BooleanField(null=True, blank=True)
    closed_late = models.BooleanField(null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(default=0)
    return_count = models.PositiveSmallIntegerField(default=0)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["state", "handle_due_at"]),
            models.Index(fields=["state", "accept_due_at"]),
            models.Index(fields=["community", "state", "reported_at"]),
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["reporter", "reported_at"]),
            models.Index(fields=["category", "area_path"]),
            # Few cases carry a notice or an escalation: partial indexes stay small. They
            # are built CONCURRENTLY on PostgreSQL (migration 0005): cases is a hot table.
            models.Index(fields=["notice_due_at"], name="case_notice_due",
                         condition=models.Q(notice_due_at__isnull=False)),
            models.Index(fields=["escalated_at"], name="case_escalated",
                         condition=models.Q(escalated_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(state="merged") | models.Q(
                master__isnull=False), name="case_merged_has_master"),
            models.CheckConstraint(
                condition=~models.Q(state__in=["dispatched", "in_progress", "resolved",
                                               "rework"]) | models.Q(unit__isnull=False),
                name="case_handling_has_unit"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class CaseEvent(AppendOnlyModel):
    """One row per transition (and per notable act: supervision, extension, comment)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    district_id_copy = models.BigIntegerField(db_index=True)  # partition key, DESIGN §8
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=24)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Whether residents and the public see this event in the timeline.
    is_public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")


class Photo(models.Model):
    """An image attached to a case (at report) or to one of its events (evidence).
    Stored after the type check and with EXIF stripped; served only through a scoped view."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="photos")
    image = models.ImageField(upload_to="cases/%Y/%m/")
    thumbnail = models.ImageField(upload_to="cases/%Y/%m/thumbs/")
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class Extension(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        DENIED = "denied", _("denied")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    reason = models.CharField(_("reason"), max_length=500)
    amount = models.DecimalField(_("extra time"), max_digits=6, decimal_places=2)
    limit_unit = models.CharField(max_length=12, choices=LimitUnit.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["case"], condition=models.Q(decision="pending"),
            name="one_pending_extension_per_case")]


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` for a create: the same key and body return the first
    result; the same key with a different body is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(max_length=128)
    request_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="idempotency_key_unique")]


class Publication(models.Model):
    """Whether a community publishes its public cases (list, map, case pages) and whether
    visitors who have not logged in may read them. A community without a row publishes
    nothing: publishing is a decision its admin or leader takes."""

    community = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("community"))
    is_published = models.BooleanField(_("publish public cases"), default=False)
    anonymous_allowed = models.BooleanField(_("visible without logging in"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("case publication")
        verbose_name_plural = _("case publications")
        constraints = [models.CheckConstraint(
            condition=models.Q(is_published=True) | models.Q(anonymous_allowed=False),
            name="publication_anonymous_needs_published")]

    def __str__(self) -> str:
        return str(self.community)


class Supporter(models.Model):
    """A resident who has the same problem as a public case ("me too", 我也遇到) and joins
    it instead of reporting again: counted, and told when it is handled."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supporters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="supports")
    created_at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        constraints = [models.UniqueConstraint(fields=["case", "user"],
                                               name="supporter_once_per_case")]

    def __str__(self) -> str:
        return f"{self.user} → #{self.case_id}"
