from django.contrib import admin

from expenses.models import Claim, ClaimItem, ExpenseSettings, PaymentBatch, PreAuthorisation


@admin.register(ExpenseSettings)
class ExpenseSettingsAdmin(admin.ModelAdmin):
    list_display = ["scheme", "mileage_rate", "per_visit_limit", "monthly_limit"]


class ClaimItemInline(admin.TabularInline):
    model = ClaimItem
    extra = 0
    fields = ["category", "spent_on", "amount", "miles"]
    readonly_fields = ["category", "spent_on", "amount", "miles"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["public_id", "scheme", "status", "total", "submitted_at"]
    list_filter = ["scheme", "status"]
    readonly_fields = ["total", "status", "volunteer", "visit", "match", "batch"]
    inlines = [ClaimItemInline]


@admin.register(PreAuthorisation)
class PreAuthorisationAdmin(admin.ModelAdmin):
    list_display = ["reference", "scheme", "status", "amount"]
    list_filter = ["scheme", "status"]


@admin.register(PaymentBatch)
class PaymentBatchAdmin(admin.ModelAdmin):
    list_display = ["reference", "scheme", "total", "paid_on"]
