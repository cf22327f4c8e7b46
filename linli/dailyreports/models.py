"""The grid worker's daily report (网格员日报告).

One `DailyReport` per worker and day: the grid patrolled, whether the patrol was done and
the route, and the `Item`s found. Each item is a problem (it became a case), a conflict sign
(it became a dispute), a visit to a care-plan resident (the people app's visit) or "nothing
to report"; the item links the row it raised, made in the same transaction. A report can be
edited until its day is locked at local midnight.

`Submission` remembers each submission's idempotency key, so a phone retrying after a
timeout gets the first outcome back instead of a second case. `Reminder` is the claim of
the evening reminder: one row per worker and day, whoever sweeps.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.idempotency import MAX_KEY
from linli.orgs.models import Area

MAX_NOTES = 1000


class DailyReport(models.Model):
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="daily_reports", verbose_name=_("grid worker"))
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="daily_reports",
                             verbose_name=_("grid"))
    area_path = models.CharField(max_length=255, db_index=True)  # the grid's: scope, no join
    day = models.DateField(_("day"))
    patrol_done = models.BooleanField(_("patrol done"), default=False)
    route_notes = models.TextField(_("route notes"), max_length=MAX_NOTES, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "grid__path", "id"]
        constraints = [models.UniqueConstraint(fields=["worker", "day"],
                                               name="daily_report_one_per_worker_day")]
        indexes = [models.Index(fields=["community", "day"]),
                   models.Index(fields=["grid", "day"])]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.grid.name}"


class ItemKind(models.TextChoices):
    PROBLEM = "problem", _("problem")              # → a case, channel grid patrol
    CONFLICT = "conflict", _("conflict sign")      # → a dispute, source daily report
    VISIT = "visit", _("care visit")               # → the people app's visit
    NOTHING = "nothing", _("nothing to report")


class Item(models.Model):
    report = models.ForeignKey(DailyReport, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    dispute = models.ForeignKey("disputes.Dispute", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey("people.Visit", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Each kind links exactly what it raised, and nothing else.
            models.CheckConstraint(name="daily_item_links_its_kind", condition=(
                models.Q(kind=ItemKind.PROBLEM, case__isnull=False, dispute__isnull=True,
                         visit__isnull=True)
                | models.Q(kind=ItemKind.CONFLICT, case__isnull=True, dispute__isnull=False,
                           visit__isnull=True)
                | models.Q(kind=ItemKind.VISIT, case__isnull=True, dispute__isnull=True,
                           visit__isnull=False)
                | models.Q(kind=ItemKind.NOTHING, case__isnull=True, dispute__isnull=True,
                           visit__isnull=True))),
        ]


class Submission(models.Model):
    """A submission's idempotency key and what it did: a retry with the same key replays
    it (the report, and the item if it added one)."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    key = models.CharField(max_length=MAX_KEY)
    request_hash = models.CharField(max_length=64)
    report = models.ForeignKey(DailyReport, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["worker", "key"],
                                               name="daily_submission_key_once")]


class Reminder(models.Model):
    """The evening reminder to a worker without a report, claimed by inserting this row:
    the unique (worker, day) lets any number of sweepers send it once."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["worker", "day"],
                                               name="daily_reminder_once")]
