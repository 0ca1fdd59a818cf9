from django.contrib import admin

from visits.models import Platform, Visit, VisitReport, VisitSettings


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "minimum_age", "is_active", "scheme"]
    list_filter = ["scheme"]


@admin.register(VisitSettings)
class VisitSettingsAdmin(admin.ModelAdmin):
    list_display = ["scheme", "checkout_grace"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["public_id", "scheme", "starts_at", "kind", "status"]
    list_filter = ["scheme", "status", "kind"]
    # Children's names and report content stay out of the admin lists.
    readonly_fields = ["public_id"]


@admin.register(VisitReport)
class VisitReportAdmin(admin.ModelAdmin):
    list_display = ["public_id", "scheme", "submitted_at", "acknowledged_at"]
    list_filter = ["scheme"]
