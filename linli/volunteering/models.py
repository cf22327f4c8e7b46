"""Volunteering (志愿服务): wishes (居民点单) → tasks (社区派单) → claims (志愿者接单) →
confirmation and rating (居民评价), with volunteer profiles and their skills.

Tables and the constraints the database can enforce; the workflow lives in `transitions.py`
and `services*.py`. A task's `claimed_count` never exceeds `volunteers_needed` (CHECK), a
volunteer claims a task once (UNIQUE), and nobody confirms or rates their own claim (CHECK).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from linli.core.models import AppendOnlyModel
from linli.orgs.models import Area

# State labels carry the "volunteering" context: "rejected" work is not a rejected case.
MIN_HOURS = Decimal("0.5")
MAX_HOURS = Decimal("24")


def _hours_ok(field: str) -> Q:
    return (Q(**{f"{field}__isnull": True})
            | Q(**{f"{field}__gte": MIN_HOURS, f"{field}__lte": MAX_HOURS}))


class Skill(models.Model):
    """What volunteers can offer; administrators edit the list."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=32)
    name_en = models.CharField(_("name (English)"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class VolunteerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="volunteer_profile", verbose_name=_("volunteer"))
    skills = models.ManyToManyField(Skill, blank=True, related_name="profiles",
                                    verbose_name=_("skills"))
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    grid = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("grid"))
    # Kept by the claim service when work is confirmed or rated, so search and the honour
    # list sort without adding up every claim.
    total_hours = models.DecimalField(_("total hours"), max_digits=8, decimal_places=1,
                                      default=Decimal(0))
    rating_sum = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        constraints = [models.CheckConstraint(condition=Q(total_hours__gte=0),
                                              name="profile_hours_not_negative")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def average_rating(self) -> Decimal | None:
        if not self.rating_count:
            return None
        return (Decimal(self.rating_sum) / self.rating_count).quantize(Decimal("0.1"))


class WishCategory(models.TextChoices):
    COMPANIONSHIP = "companionship", _("companionship")
    ERRANDS = "errands", _("errands")
    REPAIRS = "repairs", _("small repairs")
    TUTORING = "tutoring", _("tutoring")
    HEALTH = "health", _("health care")
    OTHER = "other", _("other")


class WishState(models.TextChoices):
    POSTED = "posted", pgettext_lazy("volunteering", "posted")
    PUBLISHED = "published", pgettext_lazy("volunteering", "published as a task")
    FULFILLED = "fulfilled", pgettext_lazy("volunteering", "fulfilled")
    CANCELLED = "cancelled", pgettext_lazy("volunteering", "cancelled")
    DECLINED = "declined", pgettext_lazy("volunteering", "declined")


class Placed(models.Model):
    """Where and when: the community, the place within it, and a time window."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("place"))
    area_path = models.CharField(max_length=255, db_index=True)  # scope without a join
    address = models.CharField(_("address"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True


class Wish(Placed):
    """A resident's wish (微心愿): what they need, when and where."""

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="wishes", verbose_name=_("requester"))
    category = models.CharField(_("category"), max_length=16, choices=WishCategory.choices)
    description = models.TextField(_("description"), max_length=1000)
    state = models.CharField(_("state"), max_length=10, choices=WishState.choices,
                             default=WishState.POSTED, db_index=True)
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="wish_window_forward"),
            models.CheckConstraint(condition=Q(state__in=WishState.values),
                                   name="wish_state_known"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()}"


class TaskKind(models.TextChoices):
    WISH = "wish", _("a resident's wish")
    ACTIVITY_SUPPORT = "activity_support", _("activity support")
    VISIT = "visit", _("visit")
    PATROL = "patrol", _("patrol")
    OTHER = "other", _("other")


class TaskState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("volunteering", "draft")
    PUBLISHED = "published", pgettext_lazy("volunteering", "open for volunteers")
    FULL = "full", pgettext_lazy("volunteering", "full")
    IN_PROGRESS = "in_progress", pgettext_lazy("volunteering", "in progress")
    COMPLETED = "completed", pgettext_lazy("volunteering", "completed")
    CANCELLED = "cancelled", pgettext_lazy("volunteering", "cancelled")


class Task(Placed):
    """Work for volunteers, published by community staff (from a wish or of their own)."""

    source_wish = models.OneToOneField(Wish, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="task", verbose_name=_("wish"))
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TaskKind.choices)
    volunteers_needed = models.PositiveSmallIntegerField(_("volunteers needed"))
    # Places taken by claims not withdrawn; moved only by conditional updates.
    claimed_count = models.PositiveSmallIntegerField(_("places taken"), default=0)
    # 0: points per hour by the community's "volunteer_hour" rule; otherwise this many
    # points for each confirmed claim.
    points_offered = models.PositiveIntegerField(_("points offered"), default=0)
    state = models.CharField(_("state"), max_length=12, choices=TaskState.choices,
                             default=TaskState.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("published by"))
    published_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer task")
        verbose_name_plural = _("volunteer tasks")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(volunteers_needed__gte=1),
                                   name="task_needs_someone"),
            models.CheckConstraint(condition=Q(claimed_count__lte=F("volunteers_needed")),
                                   name="task_capacity"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="task_window_forward"),
            models.CheckConstraint(condition=Q(state__in=TaskState.values),
                                   name="task_state_known"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return max(self.volunteers_needed - self.claimed_count, 0)


class ClaimState(models.TextChoices):
    CLAIMED = "claimed", pgettext_lazy("volunteering", "claimed")
    CHECKED_IN = "checked_in", pgettext_lazy("volunteering", "checked in")
    CHECKED_OUT = "checked_out", pgettext_lazy("volunteering", "checked out")
    REPORTED = "reported", pgettext_lazy("volunteering", "hours reported")
    CONFIRMED = "confirmed", pgettext_lazy("volunteering", "confirmed")
    REJECTED = "rejected", pgettext_lazy("volunteering", "rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("volunteering", "withdrawn")


class Claim(models.Model):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="claims",
                             verbose_name=_("task"))
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="volunteer_claims", verbose_name=_("volunteer"))
    state = models.CharField(_("state"), max_length=12, choices=ClaimState.choices,
                             default=ClaimState.CLAIMED, db_index=True)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    check_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    check_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    reported_hours = models.DecimalField(_("hours reported"), max_digits=3, decimal_places=1,
                                         null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    confirmed_hours = models.DecimalField(_("hours confirmed"), max_digits=3,
                                          decimal_places=1, null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # rejected or withdrawn
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(null=True, blank=True)
    points_entry = models.ForeignKey("points.Entry", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    points = models.PositiveIntegerField(_("points"), default=0)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "volunteer"], name="claim_once_per_task"),
            models.CheckConstraint(condition=_hours_ok("reported_hours"),
                                   name="claim_reported_hours_range"),
            models.CheckConstraint(condition=_hours_ok("confirmed_hours"),
                                   name="claim_confirmed_hours_range"),
            models.CheckConstraint(condition=Q(rating__isnull=True)
                                   | Q(rating__gte=1, rating__lte=5), name="claim_rating_1_5"),
            models.CheckConstraint(condition=Q(confirmed_by__isnull=True)
                                   | ~Q(confirmed_by=F("volunteer")),
                                   name="claim_not_confirmed_by_self"),
            models.CheckConstraint(condition=Q(rated_by__isnull=True)
                                   | ~Q(rated_by=F("volunteer")), name="claim_not_rated_by_self"),
            models.CheckConstraint(condition=Q(state__in=ClaimState.values),
                                   name="claim_state_known"),
        ]
        indexes = [models.Index(fields=["volunteer", "state"]),
                   models.Index(fields=["state", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.task}"


class Event(AppendOnlyModel):
    """One step of a wish, a task or a claim: who, when, from, to, why."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    wish = models.ForeignKey(Wish, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="events")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="events")
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="events")
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.CharField(_("note"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("volunteering event")
        verbose_name_plural = _("volunteering events")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(
            condition=(Q(wish__isnull=False, task__isnull=True, claim__isnull=True)
                       | Q(wish__isnull=True, task__isnull=False, claim__isnull=True)
                       | Q(wish__isnull=True, task__isnull=True, claim__isnull=False)),
            name="event_about_one_thing")]
