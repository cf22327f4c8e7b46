"""Community life (社区生活): activities, notices and honour boards.

- An `Activity` (活动) is offered to a scope (street, community, estate, building), maybe
  only to residents with a care tag (an activity for elderly living alone). Residents sign
  up themselves and their household's members (`SignUp`): a place while `taken` is below
  `capacity` (a database CHECK backs the count), else the waiting list, promoted in order
  when a place is given back. Attendance is checked in by the door code or ticked by staff
  and earns points once per person. Afterwards a short report with photos
  (`ActivityPhoto`). Its moves: `transitions.ACTIVITIES`.
- A `Notice` (公告) goes to a scope or a care group there, from `publish_at` to `expires_at`;
  a household's first reading is its read receipt (`NoticeRead`). Moves:
  `transitions.NOTICES`.
- A `Board` (红黑榜, 善行义举榜 …) of a scope holds `HonourEntry`s by period; an entry is
  nominated, approved by staff before anyone else sees it, and open to a `Reply` (the right
  of reply). A black board names only units or public behaviour. `Rating` is a month's
  最美楼栋 ranking of a community's buildings by its `ScoreSheet`. Moves:
  `transitions.ENTRIES`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import AppendOnlyModel, SubjectEvent
from linli.orgs.models import Area, Unit

MAX_TEXT = 4000


class Event(SubjectEvent):
    """The history of an activity, a notice or an honour entry: one row per move (the
    workflow kit's writer, `events.py`). `subject` is "activity", "notice" or "entry"."""

    class Meta(SubjectEvent.Meta):
        indexes = [models.Index(fields=["subject", "subject_id"])]


# --- activities ------------------------------------------------------------------------------

class ActivityKind(models.TextChoices):
    FESTIVAL = "festival", _("festival")                 # 邻里节, 百家宴, 社区春晚
    LECTURE = "lecture", _("lecture")                    # 反诈讲座, 政策宣讲
    CLINIC = "clinic", _("free clinic")                  # 义诊
    DRILL = "drill", _("drill")                          # 消防演练
    TRAINING = "training", _("training")                 # 技能培训
    VOLUNTEER_DAY = "volunteer_day", _("volunteer day")  # 志愿服务日
    CULTURE = "culture", _("culture and sports")         # 文体活动
    CARE = "care", pgettext_lazy("activity", "care visit")                       # 关爱活动
    OTHER = "other", _("other")


class Organiser(models.TextChoices):
    STAFF = "staff", _("community staff")
    PARTNER = "partner", _("a partner organisation")     # 共建单位, 社会组织
    GROUP = "group", _("a residents' group")             # 居民自组织


class ActivityState(models.TextChoices):
    DRAFT = "draft", _("draft")               # 草稿
    PUBLISHED = "published", _("published")   # 已发布 (sign-up, under way, ended: by time)
    REPORTED = "reported", pgettext_lazy("activity", "reported")      # 已总结
    CANCELLED = "cancelled", _("cancelled")   # 已取消


class Activity(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("audience"))
    area_path = models.CharField(max_length=255, db_index=True)
    care_tag = models.ForeignKey("people.CareTag", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("only for the care group"))
    title = models.CharField(_("title"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    description = models.TextField(_("description"), blank=True, max_length=MAX_TEXT)
    organiser = models.CharField(_("organised by"), max_length=12, choices=Organiser.choices,
                                 default=Organiser.STAFF)
    organiser_name = models.CharField(_("organiser's name"), max_length=80, blank=True)
    venue = models.CharField(_("venue"), max_length=120)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    signup_opens_at = models.DateTimeField(_("sign-up opens"))
    signup_closes_at = models.DateTimeField(_("sign-up closes"))
    capacity = models.PositiveIntegerField(_("places"))
    taken = models.PositiveIntegerField(default=0)  # confirmed sign-ups, kept with them
    state = models.CharField(_("state"), max_length=12, choices=ActivityState.choices,
                             default=ActivityState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    check_in_code = models.CharField(max_length=8)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the day-before reminder
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # cancelled or reported
    report = models.TextField(_("report"), blank=True, max_length=MAX_TEXT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")),
                                   name="community_activity_within_capacity"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="community_activity_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityPhoto(models.Model):
    """A photo of the activity's report, stripped of EXIF, with a thumbnail."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="photos")
    file = models.ImageField(upload_to="community/%Y/%m/")
    thumbnail = models.ImageField(upload_to="community/%Y/%m/thumbs/", blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)


class SignUpState(models.TextChoices):
    CONFIRMED = "confirmed", _("place confirmed")   # 报名成功
    WAITING = "waiting", _("on the waiting list")   # 候补
    CANCELLED = "cancelled", pgettext_lazy("sign-up", "cancelled")  # 已取消


class CheckInVia(models.TextChoices):
    CODE = "code", _("by code")
    STAFF = "staff", pgettext_lazy("check-in", "by staff")


class SignUp(models.Model):
    """One person's sign-up (a registry resident), made by them, a member of their
    household or staff. One live sign-up per person and activity (a constraint); a
    cancelled one stays, and the person may sign up again."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="signups")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT,
                                  related_name="+")
    name = models.CharField(max_length=64)  # as shown on the staff list
    state = models.CharField(max_length=12, choices=SignUpState.choices)
    signed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    signed_up_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)  # a place, or promoted
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_via = models.CharField(max_length=8, choices=CheckInVia.choices, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["signed_up_at", "pk"]  # the waiting list's order
        constraints = [
            models.UniqueConstraint(fields=["activity", "resident"],
                                    condition=~Q(state="cancelled"),
                                    name="community_signup_once"),
            models.CheckConstraint(condition=Q(checked_in_at__isnull=True) | Q(state="confirmed"),
                                   name="community_checked_in_confirmed"),
        ]


# --- notices ---------------------------------------------------------------------------------

class NoticeKind(models.TextChoices):
    SAFETY = "safety", _("safety tip")       # 安全提示
    POLICY = "policy", _("policy")           # 政策
    OUTAGE = "outage", _("outage")           # 停水停电
    EVENT = "event", pgettext_lazy("notice", "event")  # 活动
    URGENT = "urgent", pgettext_lazy("notice", "urgent")           # 紧急


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")  # visible from publish_at to expires_at
    WITHDRAWN = "withdrawn", _("withdrawn")


class Notice(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("to"))
    area_path = models.CharField(max_length=255, db_index=True)
    care_tag = models.ForeignKey("people.CareTag", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("only for the care group"))
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("text"), max_length=MAX_TEXT)
    pinned = models.BooleanField(_("pinned"), default=False)
    publish_at = models.DateTimeField(_("publish at"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=NoticeState.choices,
                             default=NoticeState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(null=True, blank=True)  # the publish move
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)  # inbox messages sent
    audience = models.PositiveIntegerField(default=0)  # households, counted at delivery
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-pinned", "-publish_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NoticeFile(models.Model):
    """An attachment: a photo (stripped of EXIF) or a PDF."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="community/notices/%Y/%m/")
    content_type = models.CharField(max_length=64)
    name = models.CharField(max_length=120)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)


class NoticeRead(models.Model):
    """A household's read receipt: the first of its members to open the notice."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="reads")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT,
                                  related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "household"],
                                               name="community_notice_read_once")]


# --- honour boards ---------------------------------------------------------------------------

class BoardKind(models.TextChoices):
    GOOD_DEEDS = "good_deeds", _("good deeds board")   # 善行义举榜
    RED = "red", _("red list")                         # 红榜
    BLACK = "black", _("black list")                   # 黑榜
    FAMILIES = "families", _("model families")         # 最美家庭
    LEADERS = "leaders", _("building leaders")         # 优秀楼栋长


class Period(models.TextChoices):
    MONTH = "month", _("monthly")
    QUARTER = "quarter", _("quarterly")
    YEAR = "year", _("yearly")


class Board(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("scope"))
    area_path = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=BoardKind.choices)
    title = models.CharField(_("title"), max_length=80)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices,
                              default=Period.MONTH)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("honour board")
        verbose_name_plural = _("honour boards")
        ordering = ["area_path", "kind", "pk"]

    def __str__(self) -> str:
        return self.title


class SubjectKind(models.TextChoices):
    PERSON = "person", _("a person")                  # 个人
    HOUSEHOLD = "household", _("a household")         # 家庭
    BUILDING = "building", _("a building")            # 楼栋
    UNIT = "unit", _("a unit")                        # 单位 (物业, 商户 …)
    SERVICE = "service", _("a unit's service record")  # 处置单位的办件
    BEHAVIOUR = "behaviour", _("a public behaviour")  # 不文明行为 (no one named)


# What a black board may name: never a private person or household.
BLACK_SUBJECTS = frozenset({SubjectKind.UNIT, SubjectKind.SERVICE, SubjectKind.BEHAVIOUR})


class EntryState(models.TextChoices):
    NOMINATED = "nominated", _("nominated")   # 待审核
    APPROVED = "approved", pgettext_lazy("honour", "approved")      # 已上榜
    DECLINED = "declined", pgettext_lazy("honour", "declined")      # 未通过
    WITHDRAWN = "withdrawn", _("withdrawn")   # 已撤下


class HonourEntry(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="entries")
    area_path = models.CharField(max_length=255, db_index=True)  # the board's
    period_start = models.DateField(_("period"))  # the first day of the month / quarter / year
    subject_kind = models.CharField(_("who or what"), max_length=12,
                                    choices=SubjectKind.choices)
    resident = models.ForeignKey("people.Resident", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    subject_name = models.CharField(_("shown as"), max_length=80)
    reason = models.TextField(_("reason"), max_length=MAX_TEXT)
    state = models.CharField(_("state"), max_length=12, choices=EntryState.choices,
                             default=EntryState.NOMINATED)
    version = models.PositiveIntegerField(default=1)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    nominated_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("honour entry")
        verbose_name_plural = _("honour entries")
        ordering = ["-period_start", "-nominated_at", "-pk"]

    def __str__(self) -> str:
        return self.subject_name


class EntryPhoto(models.Model):
    entry = models.ForeignKey(HonourEntry, on_delete=models.PROTECT, related_name="photos")
    file = models.ImageField(upload_to="community/honours/%Y/%m/")
    thumbnail = models.ImageField(upload_to="community/honours/%Y/%m/thumbs/", blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)


class Reply(AppendOnlyModel):
    """The right of reply: the one named (a unit's member, the person or household) answers;
    staff record an answer given on paper. Replies are kept, never edited."""

    entry = models.ForeignKey(HonourEntry, on_delete=models.PROTECT, related_name="replies")
    text = models.TextField(max_length=MAX_TEXT)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf = models.CharField(max_length=80, blank=True)  # staff recording a paper reply
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]


# --- 最美楼栋: rating buildings ------------------------------------------------------------------

class Source(models.TextChoices):
    MANUAL = "manual", _("scored by staff")                  # 人工评分
    PARTICIPATION = "participation", _("activity participation")  # 活动参与率
    CASES = "cases", _("few cases reported")                 # 案件少


class Criterion(models.Model):
    """One line of a community's score sheet: a name, the most it gives, where the score
    comes from. Participation and cases are scored from the month's data; the building
    with the best figure gets the full score, the others in proportion."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("criterion"), max_length=40)
    max_score = models.PositiveSmallIntegerField(_("most points"))
    source = models.CharField(_("scored from"), max_length=16, choices=Source.choices,
                              default=Source.MANUAL)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("rating criterion")
        verbose_name_plural = _("rating criteria")
        ordering = ["community", "position", "pk"]


class RatingState(models.TextChoices):
    OPEN = "open", _("being scored")       # 评分中
    PUBLISHED = "published", _("published")  # 已公布


class Rating(models.Model):
    """A month's 最美楼栋 rating of a community's buildings."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)
    month = models.DateField()  # the first day of the month
    state = models.CharField(max_length=12, choices=RatingState.choices,
                             default=RatingState.OPEN)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("building rating")
        verbose_name_plural = _("building ratings")
        ordering = ["-month", "-pk"]
        constraints = [models.UniqueConstraint(fields=["community", "month"],
                                               name="community_rating_month_once")]


class Score(models.Model):
    """One building's score on one criterion of a rating (the figure it came from kept)."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="scores")
    building = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    figure = models.CharField(max_length=40, blank=True)  # "12/40 took part", "3 cases"
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "building", "criterion"],
                                               name="community_score_once")]
