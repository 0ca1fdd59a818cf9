"""Read-mostly admin: complaints are changed through the procedure's pages (services), and
never deleted, so the admin cannot add, delete or bulk-delete them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from complaints.models import Complaint, ComplaintEvent, ComplaintLetter, ComplaintStage


class _NeverDelete(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Complaint)
class ComplaintAdmin(_NeverDelete):
    list_display = ("reference", "scheme", "status", "received_on", "due_on", "finding")
    list_filter = ("scheme", "status", "finding")
    search_fields = ("reference",)


@admin.register(ComplaintStage)
class ComplaintStageAdmin(_NeverDelete):
    list_display = ("complaint", "number", "started_on", "due_on", "responded_on", "outcome")


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(_NeverDelete):
    list_display = ("complaint", "action", "from_status", "to_status", "actor", "at")


@admin.register(ComplaintLetter)
class ComplaintLetterAdmin(_NeverDelete):
    list_display = ("complaint", "kind", "created_at")
