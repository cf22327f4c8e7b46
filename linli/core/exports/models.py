"""The export job: one request for a spreadsheet, its progress and its private file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ExportJob(models.Model):
    """A spreadsheet someone asked for (core.exports). The file lives in a private folder
    outside MEDIA_ROOT and is served only to the person who asked, until it expires
    (EXPORT_KEEP_HOURS); the row stays, so the history of who exported what remains."""

    kind = models.CharField(_("kind"), max_length=32)
    # The list's filters as the person chose them; re-checked against their scope when
    # the job runs, so the file never holds what they could no longer see.
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    # The page language: column titles and labels in the file are written in it.
    language = models.CharField(max_length=8, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=ExportState.choices,
                             default=ExportState.QUEUED, db_index=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    stored_name = models.CharField(max_length=64, blank=True)  # empty: no file (yet, or any more)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    area_path = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename or f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in (ExportState.DONE, ExportState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0
