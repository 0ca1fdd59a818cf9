from django.contrib import admin

from reports.models import ReportExport


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = ("public_id", "requested_by", "scheme", "format", "status", "created_at")
    list_filter = ("status", "format")
    # The files are private: the admin shows the record, never a link to the file.
    exclude = ("file",)
    readonly_fields = ("requested_by", "scheme", "period_start", "period_end", "format",
                       "status", "progress", "error", "started_at", "finished_at")  # fmt: skip
