from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from volunteers.models import StageChange, Volunteer, VolunteerSchemeSettings


@admin.register(Volunteer)
class VolunteerAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "first_name", "last_name", "scheme", "stage", "status")
    list_filter = ("scheme", "stage", "status")
    search_fields = ("reference", "first_name", "last_name", "email")
    readonly_fields = ("approval_letter", "approval_certificate")


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("volunteer", "from_status", "to_status", "at", "actor")


admin.site.register(VolunteerSchemeSettings)
