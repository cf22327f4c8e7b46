"""Party building (党建引领) run as work with records and rates.

- An `Organisation` is a node of the party tree laid over the area tree: 社区党委 at a
  community, 网格党支部 at a grid, 楼栋党小组 at a building, 党员中心户 below it; or a unit's
  own organisation (a property company's, a hospital's, a school's branch). The 联合党委
  (大党委) is an organisation of kind `joint` whose members are unit organisations
  (`JointSeat`).
- A `Member` is a registry resident or a user (or both) of one kind (community direct,
  in-service 在职 with employer, mobile 流动, retired). `Membership` says which
  organisations they belong to: at most one of each level at a time (a database
  constraint). Membership is party data: only party-work staff of the scope and the member
  see it (permissions.py).
- A `DualRegistration` (双报到) is an in-service member reporting to the community where they
  live, with the service posts they chose; its moves: `transitions.REGISTRATIONS`.
- A `Post` (设岗定责: 楼栋长, 政策宣传员 …) is held by members (`PostHolding`); what they serve
  is recorded as `ServiceRecord`s (hours), counted per year against a target with their
  volunteering hours.
- A `ContactAssignment` (党员联系户) gives a member a household to visit every N days (a timer
  as data: `visit_due_at`, swept like care visits); each `ContactVisit` may raise a case, a
  dispute, a wish or a care-plan note in the same step.
- A `JointMeeting` (联席会议) of a 联合党委 has agenda items (from cases, topics, disputes),
  attendance by seat and `Resolution`s, each owned by a unit with a deadline on the working
  calendar and followed until done (overdue → supervision). Moves: `transitions`.
- An `Agreement` (共建协议) between the community and a unit holds `Commitment`s (what, how
  often, for whom), each `Delivery` recorded; the yearly fulfilment rate is `rates.py`.
- A `PropertyRating` (红色物业) is one household's monthly score sheet of its estate's property
  company (once per household and month, a database constraint); a low month opens a
  `PropertySupervision` item for the community.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import SubjectEvent
from linli.orgs.models import Area, Unit

MAX_TEXT = 2000


class Event(SubjectEvent):
    """The history of the party app's workflow rows: one row per move (`events.py`)."""

    class Meta(SubjectEvent.Meta):
        indexes = [models.Index(fields=["subject", "subject_id"])]


# --- organisations ----------------------------------------------------------------------------

class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("party committee")                 # 党委
    GENERAL_BRANCH = "general_branch", _("general party branch")  # 党总支
    BRANCH = "branch", _("party branch")                          # 支部
    GROUP = "group", _("party group")                             # 党小组
    CENTRE = "centre", _("member centre household")               # 党员中心户
    JOINT = "joint", _("joint party committee")                   # 联合党委 / 大党委


# The level of each kind in the tree: a child is always of a deeper level than its parent,
# and a member belongs to at most one organisation of each level. A joint committee is no
# level of anyone's membership: its members are organisations.
LEVEL: dict[str, int] = {OrgKind.COMMITTEE: 1, OrgKind.GENERAL_BRANCH: 2,
                         OrgKind.BRANCH: 3,
                         OrgKind.GROUP: 4, OrgKind.CENTRE: 5, OrgKind.JOINT: 0}


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    level = models.PositiveSmallIntegerField()  # LEVEL[kind], kept with the row
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent organisation"))
    # Where it sits: a community, grid, building (or, for a unit's organisation, the
    # community whose party work it takes part in). Scope reads area_path.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    area_path = models.CharField(max_length=255, db_index=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("unit"))
    secretary = models.ForeignKey("Member", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("secretary"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["area_path", "level", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrgKind.values),
                                   name="party_org_kind_known"),
            models.UniqueConstraint(fields=["area", "name"], name="party_org_name_unique"),
            # A joint committee stands alone: it has seats, not a parent.
            models.CheckConstraint(condition=~Q(kind="joint") | Q(parent__isnull=True),
                                   name="party_joint_no_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class JointSeat(models.Model):
    """A unit organisation's seat on a joint committee (联合党委 成员单位)."""

    joint = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="seats")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="joint_seats",
                                     verbose_name=_("member organisation"))
    representative = models.CharField(_("representative"), max_length=64, blank=True)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["joint", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["joint", "organisation"],
                                    condition=Q(left_on__isnull=True),
                                    name="party_seat_once"),
        ]


# --- members -----------------------------------------------------------------------------------

class MemberKind(models.TextChoices):
    DIRECT = "direct", _("community member")          # 社区直管党员
    IN_SERVICE = "in_service", _("in-service member")  # 在职党员 (双报到)
    MOBILE = "mobile", _("mobile member")              # 流动党员
    RETIRED = "retired", _("retired member")           # 离退休党员


class Member(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="party_member")
    resident = models.OneToOneField("people.Resident", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="party_member")
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=12, choices=MemberKind.choices)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    # The community the member belongs to (lives in, or reported to): scope reads area_path.
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    area_path = models.CharField(max_length=255, db_index=True)
    joined_party_on = models.DateField(_("joined the party on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)  # moved away, transferred
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["area_path", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | Q(resident__isnull=False),
                                   name="party_member_is_someone"),
            models.CheckConstraint(condition=~Q(kind="in_service") | ~Q(employer=""),
                                   name="party_in_service_has_employer"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="memberships",
                                     verbose_name=_("organisation"))
    level = models.PositiveSmallIntegerField()  # the organisation's, kept with the row
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["level", "pk"]
        constraints = [
            # One organisation of each level at a time: never in two branches at once.
            models.UniqueConstraint(fields=["member", "level"], condition=Q(until__isnull=True),
                                    name="party_one_org_per_level"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5),
                                   name="party_membership_level"),
        ]


class Post(models.Model):
    """A post with duties (设岗定责): 楼栋长, 政策宣传员, 矛盾调解员, 文明督导员 …"""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)
    name = models.CharField(_("post"), max_length=64)
    duties = models.TextField(_("duties"), blank=True, max_length=MAX_TEXT)
    open_to_dual = models.BooleanField(_("open to in-service members"), default=True)
    places = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    # What the post serves through, when it does: a volunteering task or an activity.
    task = models.ForeignKey("volunteering.Task", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("volunteering task"))
    activity = models.ForeignKey("community.Activity", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("activity"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_path", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"],
                                               name="party_post_name_unique")]

    def __str__(self) -> str:
        return self.name


class PostHolding(models.Model):
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="holdings")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="posts")
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-since", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], condition=Q(until__isnull=True),
                                    name="party_post_held_once"),
        ]


class RegistrationState(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("dual registration", "reported")
    ACCEPTED = "accepted", pgettext_lazy("dual registration", "accepted")
    DECLINED = "declined", pgettext_lazy("dual registration", "declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("dual registration", "withdrawn")
    ENDED = "ended", pgettext_lazy("dual registration", "ended")


LIVE_REGISTRATION = (RegistrationState.REPORTED, RegistrationState.ACCEPTED)


class DualRegistration(models.Model):
    """An in-service member reports to the community where they live (双报到)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="registrations")
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    area_path = models.CharField(max_length=255, db_index=True)
    employer_org = models.CharField(_("party organisation at work"), max_length=100,
                                    blank=True)
    reported_on = models.DateField(_("reported on"))
    posts_chosen = models.ManyToManyField(Post, blank=True, related_name="+",
                                          verbose_name=_("service posts chosen"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    state = models.CharField(max_length=12, choices=RegistrationState.choices,
                             default=RegistrationState.REPORTED)
    version = models.PositiveIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # declined, withdrawn or ended
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member"],
                                    condition=Q(state__in=LIVE_REGISTRATION),
                                    name="party_one_live_registration"),
        ]


class ServiceRecord(models.Model):
    """Hours a member served on a post or at an activity, recorded by party staff. (Their
    volunteering hours are the volunteering app's and counted from there.)"""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="service")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("post"))
    activity = models.ForeignKey("community.Activity", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("activity"))
    served_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    what = models.CharField(_("what was done"), max_length=200)
    area_path = models.CharField(max_length=255, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-served_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24),
                                              name="party_service_hours_range")]


# --- contact households -------------------------------------------------------------------------

class ContactAssignment(models.Model):
    """A household a member keeps in touch with (党员联系户)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="contacts")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("household"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="contacts",
                                     verbose_name=_("organisation"))
    area_path = models.CharField(max_length=255, db_index=True)  # the household's
    visit_every_days = models.PositiveSmallIntegerField(_("visit every (days)"), default=30)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    last_visited_on = models.DateField(_("last visited"), null=True, blank=True)
    # The timer: the next visit is due by this moment; the sweep reminds once per due
    # moment (reminded_for holds the one it reminded of).
    visit_due_at = models.DateTimeField(db_index=True)
    reminded_for = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visit_due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "household"],
                                    condition=Q(until__isnull=True),
                                    name="party_contact_once"),
            models.CheckConstraint(condition=Q(visit_every_days__gte=1,
                                               visit_every_days__lte=366),
                                   name="party_contact_interval"),
        ]

    @property
    def visit_due_on(self):
        """The day the next visit is due (`visit_due_at` is the end of that day)."""
        from datetime import timedelta

        from django.utils import timezone

        return timezone.localdate(self.visit_due_at - timedelta(microseconds=1))


class VisitWay(models.TextChoices):
    HOME = "home", _("home visit")
    PHONE = "phone", _("phone call")


class ContactVisit(models.Model):
    assignment = models.ForeignKey(ContactAssignment, on_delete=models.PROTECT,
                                   related_name="visits")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    visited_on = models.DateField(_("date"))
    way = models.CharField(_("how"), max_length=8, choices=VisitWay.choices,
                           default=VisitWay.HOME)
    raised_cipher = models.TextField(blank=True, default="")  # what the household raised
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    dispute = models.ForeignKey("disputes.Dispute", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    wish = models.ForeignKey("volunteering.Wish", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    care_note = models.ForeignKey("people.CareNote", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]


# --- joint meetings ---------------------------------------------------------------------------

class MeetingState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("joint meeting", "planned")
    HELD = "held", pgettext_lazy("joint meeting", "held")
    CANCELLED = "cancelled", pgettext_lazy("joint meeting", "cancelled")


class JointMeeting(models.Model):
    joint = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="meetings",
                              verbose_name=_("joint committee"))
    area_path = models.CharField(max_length=255, db_index=True)
    title = models.CharField(_("title"), max_length=100)
    scheduled_at = models.DateTimeField(_("time"))
    venue = models.CharField(pgettext_lazy("meeting", "venue"), max_length=100)
    minutes = models.TextField(_("minutes"), blank=True, max_length=5000)
    state = models.CharField(max_length=12, choices=MeetingState.choices,
                             default=MeetingState.PLANNED)
    version = models.PositiveIntegerField(default=1)
    held_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_at", "-pk"]


class AgendaItem(models.Model):
    """A problem on a meeting's agenda, maybe brought from a case, a topic or a dispute that
    needs several units."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.PROTECT, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True, max_length=MAX_TEXT)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    topic = models.ForeignKey("deliberation.Topic", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    dispute = models.ForeignKey("disputes.Dispute", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(case__isnull=True, topic__isnull=True)
                           | Q(case__isnull=True, dispute__isnull=True)
                           | Q(topic__isnull=True, dispute__isnull=True)),
                name="party_agenda_one_source"),
        ]


class Attendance(models.Model):
    meeting = models.ForeignKey(JointMeeting, on_delete=models.PROTECT,
                                related_name="attendance")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    attendee = models.CharField(_("attended by"), max_length=64, blank=True)
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "organisation"],
                                               name="party_attendance_once")]


class ResolutionState(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("resolution", "assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("resolution", "in progress")
    DONE = "done", pgettext_lazy("resolution", "reported done")
    CLOSED = "closed", pgettext_lazy("resolution", "done")
    CANCELLED = "cancelled", pgettext_lazy("resolution", "cancelled")


class Resolution(models.Model):
    """A joint meeting's decision: a task owned by a unit with a deadline on the working
    calendar, followed until done (transitions.RESOLUTIONS)."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.PROTECT,
                                related_name="resolutions")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="resolutions")
    text = models.TextField(_("resolution"), max_length=MAX_TEXT)
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("owner unit"))
    area_path = models.CharField(max_length=255, db_index=True)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    warn_at = models.DateTimeField()
    supervised_for = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=12, choices=ResolutionState.choices,
                             default=ResolutionState.ASSIGNED)
    version = models.PositiveIntegerField(default=1)
    report = models.TextField(_("what was done"), blank=True, max_length=MAX_TEXT)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(working_days__gte=1,
                                                          working_days__lte=250),
                                              name="party_resolution_days")]


# --- co-building agreements -----------------------------------------------------------------

class AgreementState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("agreement", "in force")
    ENDED = "ended", pgettext_lazy("agreement", "ended")


class Agreement(models.Model):
    """A co-building agreement (共建协议) between a community and a unit."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    area_path = models.CharField(max_length=255, db_index=True)
    title = models.CharField(_("title"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    state = models.CharField(max_length=8, choices=AgreementState.choices,
                             default=AgreementState.ACTIVE)
    version = models.PositiveIntegerField(default=1)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="party_agreement_dates")]


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("every month")
    QUARTERLY = "quarterly", _("every quarter")
    YEARLY = "yearly", _("every year")


class Commitment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT,
                                  related_name="commitments")
    what = models.CharField(_("what"), max_length=200)
    for_whom = models.CharField(_("for whom"), max_length=100, blank=True)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    times = models.PositiveSmallIntegerField(_("times each period"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(times__gte=1, times__lte=31),
                                              name="party_commitment_times")]


class Delivery(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT,
                                   related_name="deliveries")
    delivered_on = models.DateField(_("date"))
    given = models.CharField(_("what was given"), max_length=200)
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    area_path = models.CharField(max_length=255, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-delivered_on", "-pk"]


# --- property-service ratings (红色物业) ----------------------------------------------------------

SCORE_ITEMS = ("cleanliness", "order", "repairs", "attitude", "response")


def _score(label):
    return models.PositiveSmallIntegerField(label)


class PropertyRating(models.Model):
    """One household's score sheet of its estate's property company for one month."""

    estate = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("estate"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("property company"))
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT,
                                  related_name="+")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    month = models.DateField(_("month"))  # its first day
    cleanliness = _score(_("cleanliness"))   # 环境卫生
    order = _score(_("order and safety"))     # 秩序维护
    repairs = _score(_("repairs"))            # 设施维修
    attitude = _score(_("service attitude"))  # 服务态度
    response = _score(_("response speed"))    # 响应速度
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    area_path = models.CharField(max_length=255, db_index=True)  # the estate's
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["household", "month"],
                                    name="party_rating_once_a_month"),
            *[models.CheckConstraint(condition=Q(**{f"{item}__gte": 1, f"{item}__lte": 5}),
                                     name=f"party_rating_{item}_range")
              for item in SCORE_ITEMS],
        ]


class SupervisionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("supervision item", "open")
    RESOLVED = "resolved", pgettext_lazy("supervision item", "resolved")


class PropertySupervision(models.Model):
    """A month whose property score was low: an item the community follows up with the
    company (物业督办)."""

    estate = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("estate"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("property company"))
    month = models.DateField(_("month"))
    score = models.DecimalField(_("score"), max_digits=3, decimal_places=2)
    ratings = models.PositiveIntegerField(_("ratings"))
    area_path = models.CharField(max_length=255, db_index=True)
    state = models.CharField(max_length=10, choices=SupervisionState.choices,
                             default=SupervisionState.OPEN)
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "pk"]
        constraints = [models.UniqueConstraint(fields=["estate", "month"],
                                               name="party_supervision_once")]
