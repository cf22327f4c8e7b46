"""The registers (台账): households and residents of the org tree's dwellings, care tags and
plans (一人一策), visits, consents, and the access audit of every reveal.

ID numbers, phones and every care tag are sensitive: encrypted at rest (see `fields.py`),
masked everywhere, revealed only with a stated purpose (services.resident_reveal).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import AppendOnlyModel
from linli.orgs.models import Area
from linli.people.fields import SensitiveValue


class Household(models.Model):
    dwelling = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="households",
                                 verbose_name=_("dwelling"))
    area_path = models.CharField(max_length=255, db_index=True)  # copy of dwelling.path
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.dwelling.full_name()}"


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    # Context: elsewhere "parent" is a parent area or case (上级), here a father or mother.
    PARENT = "parent", pgettext_lazy("relation", "parent")
    GRANDCHILD = "grandchild", _("grandchild")
    OTHER = "other", _("other relative or cohabitant")


class Tenure(models.TextChoices):
    OWNER = "owner", _("owner")
    TENANT = "tenant", _("tenant")
    OTHER = "other", _("other")


class Resident(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members",
                                  verbose_name=_("household"))
    area_path = models.CharField(max_length=255, db_index=True)  # copy of the dwelling path
    name = models.CharField(_("name"), max_length=64)
    id_number_cipher = models.TextField(blank=True, default="")
    id_number_hash = models.CharField(max_length=64, blank=True, default="")
    phone_cipher = models.TextField(blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    relation = models.CharField(_("relation to head"), max_length=12, choices=Relation.choices)
    tenure = models.CharField(_("owner or tenant"), max_length=8, choices=Tenure.choices)
    moved_in = models.DateField(_("moved in"), null=True, blank=True)
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
    # Set when the retention job has removed the personal data of a resident who left.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # The resident's own login, if they have one: lets them see what Linli holds on them.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="resident_record")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [models.UniqueConstraint(
            fields=["id_number_hash"], condition=~models.Q(id_number_hash=""),
            name="resident_id_number_unique")]
        indexes = [models.Index(fields=["id_number_hash"])]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> SensitiveValue:
        return SensitiveValue("id_number", self.id_number_cipher)

    @property
    def phone(self) -> SensitiveValue:
        return SensitiveValue("phone", self.phone_cipher)


class CareTag(models.Model):
    """独居老人, 失能/半失能, 残疾人, 低保, 留守儿童, 社区矫正, 严重精神障碍 ...

    An admin-editable list; each tag says whether it is sensitive."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    is_sensitive = models.BooleanField(_("sensitive"), default=True)
    default_visit_days = models.PositiveSmallIntegerField(_("default visit every (days)"),
                                                          default=30)

    class Meta:
        verbose_name = _("care tag")
        verbose_name_plural = _("care tags")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ResidentTag(models.Model):
    """A care tag on a resident. Which tag it is counts as sensitive data: the tag id is kept
    encrypted; a keyed hash of (tag code) lets staff list residents by tag in their areas."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="tags")
    tag_cipher = models.TextField()
    tag_hash = models.CharField(max_length=64, db_index=True)
    note_cipher = models.TextField(blank=True, default="")  # health/benefit details
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resident", "tag_hash"],
                                               name="resident_tag_unique")]


class CarePlan(models.Model):
    """一人一策: who visits, how often, whom to call."""

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="care_plan")
    grid_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="care_plans",
                                    verbose_name=_("responsible grid worker"))
    visit_every_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    emergency_contact_cipher = models.TextField(blank=True, default="")
    needs_cipher = models.TextField(blank=True, default="")
    next_visit_due = models.DateField(_("next visit due"), db_index=True)
    area_path = models.CharField(max_length=255, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")


class VisitKind(models.TextChoices):
    HOME = "home", _("home visit")
    PHONE = "phone", _("phone call")


class Visit(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    visited_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=VisitKind.choices)
    findings_cipher = models.TextField(blank=True, default="")
    # The plan's due date this visit met (None for a visit entered after a later one): the
    # monthly completion rate counts each due date once, met in time or not.
    due_on = models.DateField(null=True, blank=True, db_index=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    image = models.ImageField(upload_to="visits/%Y/%m/")
    thumbnail = models.ImageField(upload_to="visits/%Y/%m/thumbs/")
    content_type = models.CharField(max_length=32)


class CareNote(models.Model):
    """A note for a resident's care plan from someone who is not its keeper (a party
    member visiting their contact household): the plan's grid worker hears of it and reads
    it on the plan. Written only by other apps' services that checked the author's right
    (`services.care.care_note_add`)."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="care_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    source = models.CharField(max_length=32)  # who the author was, e.g. "party_contact"
    text_cipher = models.TextField()
    area_path = models.CharField(max_length=255, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class DataCategory(models.TextChoices):
    """Categories of sensitive data that need a recorded basis. Deliberately broad: a
    category named in clear must not say more than the rows it covers already do."""

    CARE = "care", _("care tags, plans and visits")


class Consent(models.Model):
    """The legal basis or consent under which a sensitive category is processed (PIPL)."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("the person's separate consent")
        LEGAL_DUTY = "legal_duty", _("a statutory duty")
        PUBLIC_INTEREST = "public_interest", _("public health or safety")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)


class Outcome(models.TextChoices):
    REVEALED = "revealed", _("revealed")
    REFUSED = "refused", _("refused")
    EXPORTED = "exported", _("exported")
    SELF = "self", _("own record")


class AccessLog(AppendOnlyModel):
    """Who saw whose what, when and why: every reveal, export and refused attempt."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=150)
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    field = models.CharField(max_length=32)
    purpose = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=16)  # revealed, refused, exported
    area_path = models.CharField(max_length=255, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class ImportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    VALIDATING = "validating", _("checking the rows")
    WRITING = "writing", _("writing")
    DONE = "done", _("done")
    FAILED = "failed", _("refused")


class ImportJob(models.Model):
    """One upload of a residents spreadsheet, run in the background (imports/).

    The file waits in a private folder (never under MEDIA_ROOT) until the job ends and is
    deleted then: it holds ID numbers in clear. `errors` lists the problems by row and
    column; their messages never repeat a value from the file."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=ImportState.choices,
                             default=ImportState.QUEUED, db_index=True)
    filename = models.CharField(max_length=200)
    # The uploader's page language: the job's messages are written in it.
    language = models.CharField(max_length=8, blank=True)
    stored_name = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    # A dry run ("check only"): every row is checked, nothing is written.
    check_only = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    households_created = models.PositiveIntegerField(default=0)
    residents_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.FAILED)
