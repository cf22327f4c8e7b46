"""Deliberation (居民议事): topics, bodies, meetings, votes and conventions.

- A `Topic` (议题) is raised in a scope (a building, estate, community or street) by a
  resident or staff, gathers `Supporter`s and `Comment`s, is screened by staff and moves
  along `transitions.TOPICS` (raised → agenda → voting → adopted / rejected → done, or
  merged, referred to the case loop, declined). `Progress` notes track an adopted topic.
- A `Body` (议事会, 居民代表会议, 业主大会 …) has `Member`s for a term and a quorum rule.
- A `Meeting` has an agenda of topics (`AgendaItem`, each with its decision), `Invitation`s
  through the inbox, `Attendance` by check-in code or by staff, and minutes.
- A `Vote` (表决) asks a question with `Option`s of an electorate frozen when it opens
  (`Elector`: a resident, a household, a body member or a dwelling of an estate's owners).
  A `Participation` records that an elector took part (one per elector: a database
  constraint); the `Ballot` holds the choice. A secret ballot keeps no link to its elector:
  its id is random and it carries no time. `Objection`s are raised during the 公示 period.
- A `Convention` (居民公约) is versioned (`ConventionVersion`); a version is adopted by a vote.
- `Rules` are a community's settings (supporters needed, 公示 days, the share rules of
  `rules.py`), with the defaults the law and common practice give.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import AppendOnlyModel
from linli.orgs.models import Area

MAX_TEXT = 4000
MAX_COMMENT = 1000


# --- community rules ------------------------------------------------------------------------

class Rules(models.Model):
    """A community's deliberation settings. Shares are written as in `rules.Share`:
    ">1/2" (more than half), ">=2/3" (two thirds or more)."""

    community = models.OneToOneField(Area, on_delete=models.PROTECT, related_name="+")
    supporters_needed = models.PositiveSmallIntegerField(
        _("supporters a topic needs to reach the agenda"), default=10)
    publicity_days = models.PositiveSmallIntegerField(_("公示 period (working days)"), default=5)
    meeting_quorum = models.CharField(_("residents' meeting quorum"), max_length=16,
                                      default=">1/2")
    owners_participation = models.CharField(_("owners' participation (area and headcount)"),
                                            max_length=16, default=">=2/3")
    owners_major = models.CharField(_("owners' major matters (art. 278 items 6–8)"),
                                    max_length=16, default=">=3/4")
    owners_ordinary = models.CharField(_("owners' other matters"), max_length=16,
                                       default=">1/2")

    class Meta:
        verbose_name = _("deliberation rules")
        verbose_name_plural = _("deliberation rules")

    def __str__(self) -> str:
        return self.community.name


# --- topics ------------------------------------------------------------------------------------

class Category(models.TextChoices):
    PARKING = "parking", _("parking")                       # 停车
    LIFT = "lift", _("lift installation")                   # 加装电梯
    RENOVATION = "renovation", _("renovation and budget")   # 改造与经费
    ENVIRONMENT = "environment", _("environment and greening")  # 环境绿化
    SAFETY = "safety", _("safety")                          # 安全
    PROPERTY = "property", _("property management")         # 物业
    PUBLIC_SPACE = "public_space", _("public space")        # 公共空间
    CONVENTION = "convention", _("convention")              # 公约
    OTHER = "other", _("other")                             # 其他


class TopicState(models.TextChoices):
    RAISED = "raised", _("collecting support")       # 征集中
    AGENDA = "agenda", _("on the agenda")            # 已列入议程
    VOTING = "voting", _("being voted on")           # 表决中
    ADOPTED = "adopted", _("adopted")                # 已通过
    REJECTED = "rejected", _("not adopted")          # 未通过
    DONE = "done", _("carried out")                  # 已落实
    MERGED = "merged", _("merged")                   # 已合并
    REFERRED = "referred", _("referred to a case")   # 已转为案件
    DECLINED = "declined", _("declined")             # 不予采纳


class Topic(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("scope"))
    area_path = models.CharField(max_length=255, db_index=True)  # copy of area.path
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), max_length=MAX_TEXT)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    state = models.CharField(_("state"), max_length=16, choices=TopicState.choices,
                             default=TopicState.RAISED, db_index=True)
    version = models.PositiveIntegerField(default=1)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    raised_by_staff = models.BooleanField(default=False)
    supporters_needed = models.PositiveSmallIntegerField(default=10)  # the rule when raised
    supporter_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_topics")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    outcome = models.TextField(_("outcome"), blank=True, max_length=MAX_TEXT)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    agenda_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # merged, referred, declined
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class TopicFile(models.Model):
    """A photo (stripped of EXIF, with a thumbnail) or a PDF attachment."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="deliberation/%Y/%m/")
    thumbnail = models.ImageField(upload_to="deliberation/%Y/%m/thumbs/", blank=True)
    content_type = models.CharField(max_length=64)
    name = models.CharField(max_length=120)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)


class Supporter(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "user"],
                                               name="deliberation_one_support_each")]


class Comment(models.Model):
    """Nothing is deleted: moderation hides a comment with a reason its author sees."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(max_length=MAX_COMMENT)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    hidden_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at"]


class Progress(models.Model):
    """A note on carrying out an adopted topic: what was done, with the case, the
    volunteering task or the money it concerns."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="progress")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+")
    note = models.TextField(max_length=MAX_TEXT)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    task = models.ForeignKey("volunteering.Task", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    budget = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2,
                                 null=True, blank=True)

    class Meta:
        ordering = ["at"]


class TopicEvent(AppendOnlyModel):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    is_public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "pk"]


# --- bodies and meetings ------------------------------------------------------------------------

class BodyKind(models.TextChoices):
    COUNCIL = "council", _("community council")              # 议事会
    REPRESENTATIVES = "representatives", _("residents' representatives")  # 居民代表会议
    OWNERS_ASSEMBLY = "owners_assembly", _("owners' assembly")  # 业主大会
    OWNERS_COMMITTEE = "owners_committee", _("owners' committee")  # 业主委员会
    COURTYARD = "courtyard", _("courtyard consultation")     # 楼院协商会


class Body(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("scope"))
    area_path = models.CharField(max_length=255, db_index=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    quorum = models.CharField(_("quorum (members present)"), max_length=16, default=">1/2")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deliberative body")
        verbose_name_plural = _("deliberative bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A body's member: a registry resident, or an account (a unit's representative)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="members")
    resident = models.ForeignKey("people.Resident", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=64)
    post = models.CharField(_("post"), max_length=32, blank=True)  # 召集人, 成员
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(resident__isnull=False) | Q(user__isnull=False),
                                   name="deliberation_member_is_someone"),
            models.UniqueConstraint(fields=["body", "resident"], condition=Q(left_on=None),
                                    name="deliberation_member_once"),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Attendees(models.TextChoices):
    """Whose presence makes a meeting quorate."""

    MEMBERS = "members", _("the body's members")
    ADULTS = "adults", _("adult residents of the scope")
    HOUSEHOLDS = "households", _("households of the scope")


class Meeting(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("scope"))
    area_path = models.CharField(max_length=255, db_index=True)
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="meetings", verbose_name=_("body"))
    attendees = models.CharField(_("quorum counted among"), max_length=12,
                                 choices=Attendees.choices, default=Attendees.MEMBERS)
    title = models.CharField(_("title"), max_length=80)
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=120)
    state = models.CharField(_("state"), max_length=12, choices=MeetingState.choices,
                             default=MeetingState.PLANNED)
    check_in_code = models.CharField(max_length=8)
    expected = models.PositiveIntegerField(default=0)  # who counts toward the quorum
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)
    minutes_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    decision = models.TextField(_("decision"), blank=True, max_length=MAX_TEXT)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "topic"],
                                               name="deliberation_agenda_once")]


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"],
                                               name="deliberation_invited_once")]


class CheckIn(models.TextChoices):
    CODE = "code", _("by code")
    STAFF = "staff", pgettext_lazy("check-in", "by staff")  # ticked on the staff list


class Attendance(models.Model):
    """One presence: of a body member, or of a resident (a residents' meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    resident = models.ForeignKey("people.Resident", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=64)
    via = models.CharField(max_length=8, choices=CheckIn.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], condition=Q(member__isnull=False),
                                    name="deliberation_attend_member_once"),
            models.UniqueConstraint(fields=["meeting", "resident"],
                                    condition=Q(resident__isnull=False),
                                    name="deliberation_attend_resident_once"),
        ]


# --- votes -------------------------------------------------------------------------------------

class Electorate(models.TextChoices):
    ADULTS = "adults", _("adult residents of the scope")          # 18 岁以上居民
    HOUSEHOLDS = "households", _("one vote per household")       # 一户一票
    MEMBERS = "members", _("the members of a body")              # 议事会成员
    OWNERS = "owners", _("the owners of an estate")              # 业主 (民法典 art. 278)


class Threshold(models.TextChoices):
    MAJORITY_CAST = "majority_cast", _("more than half of the votes cast")
    TWO_THIRDS_CAST = "two_thirds_cast", _("two thirds of the votes cast")
    TWO_THIRDS_ELECTORATE = "two_thirds_electorate", _("two thirds of the electorate")
    CUSTOM = "custom", _("custom")
    OWNERS = "owners", _("owners' rule (civil code art. 278)")


class Base(models.TextChoices):
    CAST = "cast", _("of the votes cast")
    ELECTORATE = "electorate", _("of the electorate")


class Matter(models.TextChoices):
    """For owners' votes: art. 278 items 6–8 (raising or using maintenance funds, rebuilding,
    changing the use of common parts) need three quarters; the others more than half."""

    ORDINARY = "ordinary", _("other matters (more than half)")
    MAJOR = "major", _("items 6–8: funds, rebuilding, change of use (three quarters)")


class VoteState(models.TextChoices):
    DRAFT = "draft", _("draft")               # 草稿
    OPEN = "open", _("open")                  # 投票中
    PUBLICITY = "publicity", _("result in publicity")  # 公示中
    STANDS = "stands", _("result stands")     # 结果生效
    VOID = "void", _("void (objection upheld)")  # 结果无效
    CANCELLED = "cancelled", _("cancelled")   # 已取消


class Vote(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("scope"))
    area_path = models.CharField(max_length=255, db_index=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="votes", verbose_name=_("topic"))
    convention = models.ForeignKey("ConventionVersion", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="votes")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="votes")
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="votes", verbose_name=_("body"))
    question = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("explanation"), blank=True, max_length=MAX_TEXT)
    multiple = models.BooleanField(_("several choices"), default=False)
    max_choices = models.PositiveSmallIntegerField(_("at most"), default=1)
    electorate = models.CharField(_("electorate"), max_length=12, choices=Electorate.choices)
    matter = models.CharField(_("matter (owners)"), max_length=10, choices=Matter.choices,
                              default=Matter.ORDINARY)
    quorum = models.CharField(_("quorum (share of the electorate taking part)"),
                              max_length=16, blank=True)
    threshold = models.CharField(_("threshold"), max_length=24, choices=Threshold.choices,
                                 default=Threshold.MAJORITY_CAST)
    custom_share = models.CharField(_("custom share"), max_length=16, blank=True)
    custom_base = models.CharField(max_length=12, choices=Base.choices, default=Base.CAST)
    secret = models.BooleanField(_("secret ballot"), default=True)
    changeable = models.BooleanField(_("ballots may be changed until the close"),
                                     default=False)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    publicity_days = models.PositiveSmallIntegerField(_("公示 period (working days)"),
                                                      default=5)
    state = models.CharField(_("state"), max_length=12, choices=VoteState.choices,
                             default=VoteState.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1)
    # Frozen when the vote opens: the electorate's size (and floor area for owners).
    electorate_count = models.PositiveIntegerField(default=0)
    electorate_area = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # Written at the close, never before: the count and the outcome by the rule.
    result = models.JSONField(default=dict, blank=True)
    passed = models.BooleanField(null=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # "closing soon" sent
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    publicity_ends_at = models.DateTimeField(null=True, blank=True)
    stood_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # void or cancelled

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.question


class Stance(models.TextChoices):
    FOR = "for", _("for")                     # 同意
    AGAINST = "against", _("against")         # 反对
    ABSTAIN = "abstain", _("abstain")         # 弃权
    CHOICE = "choice", pgettext_lazy("vote option", "choice")  # one of several choices


class Option(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=100)
    stance = models.CharField(max_length=8, choices=Stance.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]


class Elector(models.Model):
    """One member of a vote's electorate, frozen when the vote opens: who may cast it is
    the resident, any adult of the household, the body member, or an owner of the dwelling."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="electors")
    key = models.CharField(max_length=24)  # "resident:12", "household:5", "member:3" …
    resident = models.ForeignKey("people.Resident", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    dwelling = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    label = models.CharField(max_length=120)  # the published name: a masked name or a place
    weight = models.DecimalField(max_digits=10, decimal_places=2, default=0)  # floor area

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "key"],
                                               name="deliberation_elector_once")]


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("paper ballot at a meeting")
    DOOR = "door", _("paper ballot door to door")


class Participation(models.Model):
    """That an elector took part: published. One per elector, whatever the channel."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="participations")
    elector = models.OneToOneField(Elector, on_delete=models.PROTECT,
                                   related_name="participation")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()


class Ballot(models.Model):
    """The choice. A secret ballot has a random id, no time and no elector: nothing links it
    to who cast it. Its receipt lets the voter find it in the published count."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    elector = models.OneToOneField(Elector, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="ballot")  # open ballots only
    choices = models.JSONField(default=list)  # option ids
    weight = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    receipt = models.CharField(max_length=16, unique=True)


class ObjectionState(models.TextChoices):
    OPEN = "open", _("awaiting an answer")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")


class Objection(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    text = models.TextField(_("objection"), max_length=MAX_COMMENT * 2)
    at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=12, choices=ObjectionState.choices,
                             default=ObjectionState.OPEN)
    answer = models.TextField(_("answer"), blank=True, max_length=MAX_COMMENT * 2)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class VoteEvent(AppendOnlyModel):
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]


# --- conventions -------------------------------------------------------------------------------

class Convention(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("scope"))
    area_path = models.CharField(max_length=255, db_index=True)
    title = models.CharField(_("title"), max_length=80)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="conventions")
    adopted = models.ForeignKey("ConventionVersion", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")  # in force
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ConventionVersion(models.Model):
    """A draft text. Never edited once a vote on it has opened; a change is a new version."""

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT,
                                   related_name="versions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=20000)
    note = models.CharField(max_length=200, blank=True)  # what changed
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["convention", "number"],
                                               name="deliberation_version_once")]
