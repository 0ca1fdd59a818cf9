"""Report exports: who asked for which report, how far it got, and the private file."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import BaseModel


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV (spreadsheet)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being produced"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"


class ReportExport(BaseModel):
    """One export of a scheme report. Only the person who asked may download the file."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Empty: every scheme the requester manages (as they were when the export ran).
    scheme = models.ForeignKey(
        "accounts.Scheme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField("from")
    period_end = models.DateField("to")
    format = models.CharField(max_length=5, choices=ExportFormat.choices)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/", blank=True)
    error = models.TextField(blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="report_export_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_export_progress_percent"
            ),
        ]
        indexes = [
            # The report page lists the requester's recent exports, newest first.
            models.Index(fields=["requested_by", "-created_at"], name="report_export_mine_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} report {self.period_start}–{self.period_end}"


class LacSummary(BaseModel):
    """The one-page summary for a child's looked-after review. It is shared only once both
    the child and the IV have agreed what it says."""

    match = models.ForeignKey("matches.Match", on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField("date of the looked-after review")
    period_start = models.DateField("visits from")
    period_end = models.DateField("visits to")
    what_we_did = models.TextField("what they did together", blank=True, default="")
    child_wants_said = models.TextField("what the child wants said", blank=True, default="")
    child_agreed_on = models.DateField("the child agreed it on", null=True, blank=True)
    iv_agreed_on = models.DateField("the IV agreed it on", null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="lac_summary_period_in_order",
            ),
        ]
        indexes = [
            # The match page's list of summaries, newest review first.
            models.Index(fields=["match", "-review_on"], name="lac_summary_match_idx"),
        ]

    @property
    def agreed(self) -> bool:
        return self.child_agreed_on is not None and self.iv_agreed_on is not None
