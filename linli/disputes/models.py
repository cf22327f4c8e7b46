"""Disputes and their mediation (矛盾纠纷调解, 枫桥经验), after SF/T 0018-2019 and 人民调解法.

A `Dispute` is registered with its parties, graded green / yellow / red by the rules in
`GradeRule` (data, not code: `grading.py` applies them), and moves along the table in
`transitions.py` (declared on the workflow kit in `workflow.py`). Mediation sessions, the
agreement (调解协议书, art. 29), referrals and the history are rows of their own. Parties'
personal data is encrypted like the registry's (people.fields): a registry resident is
linked, an outsider's name, contact and ID number are kept as ciphertext and shown masked.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.clocks import LimitUnit
from linli.core.models import AppendOnlyModel
from linli.orgs.models import Area
from linli.people.models import SensitiveValue


class Kind(models.TextChoices):
    NEIGHBOUR = "neighbour", _("neighbours")          # 邻里
    PROPERTY = "property", _("property management")  # 物业
    FAMILY = "family", _("family")                    # 家庭
    MARRIAGE = "marriage", _("marriage")              # 婚姻
    DEBT = "debt", _("debt")                          # 债务
    LABOUR = "labour", _("labour")                    # 劳资
    OTHER = "other", _("other")                       # 其他


class Source(models.TextChoices):
    DAILY_REPORT = "daily_report", _("grid worker's daily report")
    CASE = "case", _("case")
    RESIDENT = "resident", _("resident")
    HOTLINE = "hotline", _("hotline")
    WALK_IN = "walk_in", _("walk-in")


class Grade(models.TextChoices):
    """三色预警. Ordered: each level's rank is its index in LEVELS."""

    GREEN = "green", _("green")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")


LEVELS = [Grade.GREEN, Grade.YELLOW, Grade.RED]


class State(models.TextChoices):
    REGISTERED = "registered", _("registered")    # 登记
    # 受理: an owner is assigned by grade (its own word: a case's "accepted" is 立案)
    ACCEPTED = "accepted", pgettext_lazy("dispute state", "accepted")
    MEDIATING = "mediating", _("in mediation")    # 调解中
    AGREED = "agreed", _("agreed")                # 达成协议
    WITHDRAWN = "withdrawn", _("withdrawn")       # 撤回
    FAILED = "failed", _("mediation failed")      # 调解不成
    REFERRED = "referred", _("referred")          # 移交: court, arbitration, a department
    CLOSED = "closed", _("closed")                # 结案, after the follow-up


class Dispute(models.Model):
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    # The grid the place lies in (null when it is registered above grid level): the
    # indicators count by it and the grid's workers are its first hands.
    grid = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="disputes",
                             verbose_name=_("place"))
    area_path = models.CharField(max_length=255, db_index=True)  # scope without a join
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                              blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    summary = models.TextField(_("summary"), max_length=2000)
    people_involved = models.PositiveIntegerField(_("people involved"), default=2)
    violence_threat = models.BooleanField(_("threat of violence"), default=False)
    petition_risk = models.BooleanField(_("risk of a group petition"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # The case it came from (a case can become a dispute in one step; both stay linked).
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="disputes", verbose_name=_("case"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    # Grade: what the rules computed, and what holds (an override needs a reason, which
    # the grade event carries).
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices)
    computed_grade = models.CharField(max_length=8, choices=Grade.choices)
    grade_overridden = models.BooleanField(default=False)
    # Why the rules gave the computed grade: the rule codes that fired, e.g.
    # ["people_5", "repeat_90"] (shown in words on the page).
    grade_reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.REGISTERED)
    version = models.PositiveIntegerField(default=1)  # every move bumps it
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="owned_disputes",
                              verbose_name=pgettext_lazy("dispute", "owner"))
    # Joint handling (三所联动) for red disputes: the units told at once.
    joint_units = models.ManyToManyField("orgs.Unit", blank=True, related_name="+",
                                         verbose_name=_("joint handling units"))
    registered_at = models.DateTimeField(_("registered at"), db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    mediating_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # agreed, withdrawn or failed
    referred_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The mediation clock (default 30 working days, per type in `KindLimit`), started on
    # acceptance and run on the working calendar; the sweep reads the indexed due column.
    mediate_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    mediate_warn_at = models.DateTimeField(null=True, blank=True)
    mediate_supervised_for = models.DateTimeField(null=True, blank=True)
    # Each overdue notice escalates one level: 0 the owner's community, 1 the community
    # leader, 2 the street.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # The follow-up visit (回访) before closing: due a set time after the outcome
    # (agreement, withdrawal, failure or referral), recorded with a note.
    followup_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    followup_warn_at = models.DateTimeField(null=True, blank=True)
    followup_supervised_for = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    followup_note = models.TextField(_("follow-up"), max_length=2000, blank=True)
    # What resolved means for the indicators (化解率): agreed, or withdrawn because the
    # parties settled; set by the move that ends the mediation.
    resolved = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["community", "state"]),
            models.Index(fields=["grade", "state"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(people_involved__gte=1),
                                   name="dispute_people_at_least_one"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def number(self) -> str:
        return f"JF{self.registered_at:%Y%m%d}-{self.pk:05d}" if self.pk else ""


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("applicant")      # 申请人
    RESPONDENT = "respondent", _("respondent")  # 被申请人
    OTHER = "other", _("other party")           # 其他当事人


class Party(models.Model):
    """A party to a dispute: a registry resident (their data stays in the registry) or an
    outsider, whose name, contact and ID number are ciphertext here."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)
    resident = models.ForeignKey("people.Resident", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("resident"))
    name_cipher = models.TextField(blank=True, default="")
    # Keyed hashes: a repeat between the same outsiders is found without decrypting.
    name_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    phone_cipher = models.TextField(blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    id_number_cipher = models.TextField(blank=True, default="")
    id_number_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # Registered as vulnerable at registration time (a care tag): a grade input.
    is_vulnerable = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(resident__isnull=False, name_cipher="")
                           | Q(resident__isnull=True) & ~Q(name_cipher="")),
                name="party_resident_or_named_outsider"),
            models.UniqueConstraint(fields=["dispute", "resident"],
                                    condition=Q(resident__isnull=False),
                                    name="party_resident_once"),
        ]

    @property
    def name(self) -> SensitiveValue:
        return SensitiveValue("name", self.name_cipher)

    @property
    def phone(self) -> SensitiveValue:
        return SensitiveValue("phone", self.phone_cipher)

    @property
    def id_number(self) -> SensitiveValue:
        return SensitiveValue("id_number", self.id_number_cipher)


class RegistrationKey(models.Model):
    """A registration's idempotency key (an API client's `Idempotency-Key`, the register
    form's token): the same key and request replay the first dispute; the same key with
    another request is refused. `request_hash` is keyed (parties' data is in the request)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(max_length=128)
    request_hash = models.CharField(max_length=64)
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="dispute_registration_key_once")]


class Session(models.Model):
    """A mediation session (调解记录): when, who mediated, who attended, what was said."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("date"))
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("mediator"))
    attendees = models.CharField(_("attendees"), max_length=500)
    record = models.TextField(_("record"), max_length=5000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "id"]


class Agreement(models.Model):
    """调解协议书 with the matters 人民调解法 art. 29 requires: the parties with their
    identity (the dispute's parties), the facts and disputed matters, responsibilities, the
    agreed terms, the manner and deadline of performance; signed on a date."""

    dispute = models.OneToOneField(Dispute, on_delete=models.PROTECT,
                                   related_name="agreement")
    facts = models.TextField(_("facts and disputed matters"), max_length=5000)
    responsibilities = models.TextField(_("responsibilities"), max_length=3000)
    terms = models.TextField(_("agreed terms"), max_length=5000)
    performance_manner = models.CharField(_("manner of performance"), max_length=500)
    performance_deadline = models.DateField(_("deadline of performance"))
    signed_on = models.DateField(_("signed on"))
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("mediator"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The performance check (履行情况), due on the deadline: timer and outcome.
    performance_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    performance_reminded_for = models.DateTimeField(null=True, blank=True)
    performance_checked_at = models.DateTimeField(null=True, blank=True)
    performed = models.BooleanField(null=True, blank=True)
    performance_note = models.TextField(max_length=2000, blank=True)
    # 司法确认: must be applied for within 30 days of the agreement; the parties and the
    # mediator are reminded before the window closes (timer: `judicial_remind_at`).
    judicial_wanted = models.BooleanField(_("judicial confirmation wanted"), default=False)
    judicial_applied_on = models.DateField(_("judicial confirmation applied for on"),
                                           null=True, blank=True)
    judicial_window_ends = models.DateField(null=True, blank=True)
    judicial_remind_at = models.DateTimeField(null=True, blank=True, db_index=True)
    judicial_reminded_for = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")


class ReferralTo(models.TextChoices):
    COURT = "court", _("court")                    # 法院
    ARBITRATION = "arbitration", _("arbitration")  # 仲裁
    DEPARTMENT = "department", _("competent department")  # 主管部门


class Referral(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="referrals")
    to = models.CharField(_("referred to"), max_length=12, choices=ReferralTo.choices)
    to_name = models.CharField(_("name of the body"), max_length=100)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    referred_at = models.DateTimeField()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")


class Event(AppendOnlyModel):
    """One step of a dispute: a move, a grade change, a session, an agreement."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("dispute event")
        verbose_name_plural = _("dispute events")
        ordering = ["at", "id"]


class KindLimit(models.Model):
    """The mediation deadline per dispute type (default 30 working days): data an
    administrator edits, read when a dispute is accepted."""

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, unique=True)
    amount = models.DecimalField(_("limit"), max_digits=6, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=12, choices=LimitUnit.choices,
                            default=LimitUnit.WORK_DAYS)

    class Meta:
        verbose_name = _("mediation deadline")
        verbose_name_plural = _("mediation deadlines")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="kindlimit_positive")]


class Condition(models.TextChoices):
    PEOPLE_AT_LEAST = "people_at_least", _("people involved at least")
    VIOLENCE = "violence", _("threat of violence")
    PETITION = "petition", _("risk of a group petition")
    REPEAT_WITHIN = "repeat_within", _("a repeat between the same parties within days")
    VULNERABLE = "vulnerable", _("a vulnerable party (care tag)")


class Outcome(models.TextChoices):
    YELLOW = "yellow", _("at least yellow")
    RED = "red", _("red")
    RAISE = "raise", _("one level up")


class GradeRule(models.Model):
    """One grading rule (三色预警), as data. `grading.grade_for` sets the grade to the
    highest `yellow`/`red` outcome that holds, then raises one level for each `raise` rule
    that holds (never past red). Shipped: people ≥ 5 → yellow; ≥ 30, violence or petition
    risk → red; a repeat within 90 days and a vulnerable party each raise one level."""

    condition = models.CharField(_("condition"), max_length=16, choices=Condition.choices)
    threshold = models.PositiveIntegerField(_("threshold"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("grading rule")
        verbose_name_plural = _("grading rules")
        ordering = ["id"]

    def clean(self) -> None:
        counted = self.condition in (Condition.PEOPLE_AT_LEAST, Condition.REPEAT_WITHIN)
        if counted and not self.threshold:
            raise ValidationError({"threshold": _("This condition needs a threshold: a "
                                                  "number of people or of days.")})
        if not counted and self.threshold is not None:
            raise ValidationError({"threshold": _("This condition takes no threshold.")})

    @property
    def code(self) -> str:
        """A stable name for the reasons list: "people_at_least_5", "violence" …"""
        return f"{self.condition}_{self.threshold}" if self.threshold else self.condition
