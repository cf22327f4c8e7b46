"""Smart triage (智能分拨): what it learns from and what it remembers.

- `KeywordRule`: per category, the words that suggest it (edited by admins); the fallback
  while history is thin, and the segmenter's domain dictionary.
- `LabelledText`: descriptions with their right category brought from an earlier system
  (`linli triage import`), learned from beside the community's own closed cases.
- `ModelVersion`: every training run, its held-out figures and whether it became the model
  in use; the fitted model itself is a file under LINLI_DATA_DIR/triage, checked against
  its SHA-256 before it is loaded.
- `Suggestion`: for each reported case, what triage suggested for its description and the
  category the person chose, so accuracy is measured on live use.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.cases.models import Case, Category

MAX_KEYWORDS = 60
MAX_KEYWORD = 20


class KeywordRule(models.Model):
    category = models.OneToOneField(Category, on_delete=models.CASCADE,
                                    related_name="triage_rule", verbose_name=_("category"))
    # One keyword per line, as the admin typed them (rules.keywords_parse reads them).
    keywords = models.TextField(_("keywords"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("keyword rule")
        verbose_name_plural = _("keyword rules")

    def keyword_list(self) -> list[str]:
        return [w for w in (line.strip() for line in self.keywords.splitlines()) if w]


class LabelledText(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("category"))
    text = models.TextField(_("text"))
    source = models.CharField(_("source"), max_length=100)  # the file it came from, or "demo"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("labelled text")
        verbose_name_plural = _("labelled texts")
        constraints = [models.UniqueConstraint(fields=["category", "text"],
                                               name="triage_text_unique")]


class Outcome(models.TextChoices):
    TRAINING = "training", _("training")
    ACTIVE = "active", _("in use")
    RETIRED = "retired", _("replaced by a newer model")
    KEPT_OLD = "kept_old", _("not used: less accurate than the model in use")
    TOO_LITTLE = "too_little", _("not trained: too little history")
    FAILED = "failed", _("failed")


class Trigger(models.TextChoices):
    NIGHTLY = "nightly", _("nightly")
    ON_DEMAND = "on_demand", _("on demand")
    COMMAND = "command", _("command")
    DEMO = "demo", _("demo")


class ModelVersion(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices,
                               default=Outcome.TRAINING)
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_name = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    samples = models.PositiveIntegerField(_("texts learned from"), default=0)
    cases = models.PositiveIntegerField(_("closed cases"), default=0)
    heldout = models.PositiveIntegerField(_("held-out texts"), default=0)
    classes = models.PositiveIntegerField(_("categories"), default=0)
    top1 = models.FloatField(_("top-1 accuracy"), null=True, blank=True)
    top3 = models.FloatField(_("top-3 accuracy"), null=True, blank=True)
    # The model in use, scored on the same held-out texts (None when there was none).
    active_top1 = models.FloatField(null=True, blank=True)
    active_top3 = models.FloatField(null=True, blank=True)
    confusions = models.JSONField(default=list, blank=True)  # [[true, predicted, count]]
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("triage model")
        verbose_name_plural = _("triage models")
        ordering = ["-version"]
        constraints = [
            # One model in use, and one training run at a time, whatever runs concurrently.
            models.UniqueConstraint(fields=["outcome"], condition=Q(outcome="active"),
                                    name="triage_one_active_model"),
            models.UniqueConstraint(fields=["outcome"], condition=Q(outcome="training"),
                                    name="triage_one_training_run"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class Source(models.TextChoices):
    MODEL = "model", _("learned model")
    RULES = "rules", _("keyword rules")
    NONE = "none", _("no suggestion")


class Suggestion(models.Model):
    # No foreign-key constraint in the database: cases is the hottest table, and a
    # constraint would lock it while this table's migrations run (bench/migrations.py).
    case = models.OneToOneField(Case, on_delete=models.DO_NOTHING, related_name="+",
                                db_constraint=False)
    community_id = models.BigIntegerField(db_index=True)
    channel = models.CharField(max_length=16)
    reported_at = models.DateTimeField(db_index=True)
    suggested = models.JSONField(default=list)  # the top three codes, best first
    chosen = models.CharField(max_length=16)  # the category the case was reported with
    source = models.CharField(max_length=8, choices=Source.choices)
    model_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("triage suggestion")
        verbose_name_plural = _("triage suggestions")
