"""Needs surveys (需求调研): questionnaires to a place, answered once per household (or per
person), online or entered by a grid worker during a visit.

- A `Survey` goes to a place (street, community, grid, estate, building) and is open from
  `opens_at` to `closes_at`. Its `Question`s are of the common types: one choice, several
  choices, a scale, a text, a place. A text question may ask for needs: each answer to it
  becomes a need in the service library (classified 急 / 难 / 愁 / 盼 there and turned into
  work), linked from the answer so the report shows what became of it.
- A `Response` is one household's (or one person's) answers: `once_key` makes the second
  one impossible (a unique constraint), whoever enters it.
Moves of a survey: `transitions.SURVEYS`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import SubjectEvent
from linli.orgs.models import Area

MAX_TEXT = 2000
MAX_OPTIONS = 20


class Event(SubjectEvent):
    """The history of a survey: one row per move (`events.py`)."""

    class Meta(SubjectEvent.Meta):
        indexes = [models.Index(fields=["subject", "subject_id"])]


class Per(models.TextChoices):
    HOUSEHOLD = "household", _("one answer per household")
    PERSON = "person", _("one answer per person")


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", pgettext_lazy("survey", "open")
    CLOSED = "closed", pgettext_lazy("survey", "closed")


class Survey(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("audience"))
    area_path = models.CharField(max_length=255, db_index=True)
    title = models.CharField(_("title"), max_length=80)
    intro = models.TextField(_("introduction"), blank=True, max_length=MAX_TEXT)
    per = models.CharField(_("who answers"), max_length=10, choices=Per.choices,
                           default=Per.HOUSEHOLD)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    state = models.CharField(_("state"), max_length=8, choices=SurveyState.choices,
                             default=SurveyState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("needs survey")
        verbose_name_plural = _("needs surveys")
        ordering = ["-opens_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                              name="surveys_closes_after_opening")]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("one choice")
    MULTIPLE = "multiple", _("several choices")
    SCALE = "scale", _("a scale")
    TEXT = "text", _("a text")
    AREA = "area", _("a place")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("type"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=200)
    options = models.JSONField(_("choices"), default=list, blank=True)  # single, multiple
    scale_max = models.PositiveSmallIntegerField(_("scale up to"), default=5)
    required = models.BooleanField(_("an answer is required"), default=True)
    asks_need = models.BooleanField(_("the answers are needs"), default=False)  # text only

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"],
                                    name="surveys_question_position_once"),
            models.CheckConstraint(condition=Q(asks_need=False) | Q(kind="text"),
                                   name="surveys_need_is_text"),
            models.CheckConstraint(condition=Q(scale_max__gte=2, scale_max__lte=10),
                                   name="surveys_scale_range"),
        ]

    def __str__(self) -> str:
        return self.text


class Via(models.TextChoices):
    ONLINE = "online", pgettext_lazy("survey answer", "online")
    VISIT = "visit", pgettext_lazy("survey answer", "during a visit")


class Response(models.Model):
    """One household's (or person's) answers. `once_key` is "h<household id>" or
    "p<resident id>" by the survey's `per`: the second response is refused by the unique
    constraint, whichever phone or grid worker enters it."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    once_key = models.CharField(max_length=24)
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT,
                                  related_name="+")
    resident = models.ForeignKey("people.Resident", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, db_index=True)  # the household's dwelling
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    via = models.CharField(max_length=8, choices=Via.choices)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "once_key"],
                                               name="surveys_one_response")]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField(default=list, blank=True)  # option indexes
    number = models.PositiveSmallIntegerField(null=True, blank=True)  # a scale's value
    text = models.TextField(blank=True, max_length=MAX_TEXT)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    need = models.ForeignKey("library.Need", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")

    class Meta:
        ordering = ["question__position", "pk"]
        constraints = [models.UniqueConstraint(fields=["response", "question"],
                                               name="surveys_answer_once")]
