from django.contrib import admin

from .models import (
    Contact,
    Deal,
    DealStage,
    ExportRecord,
    FollowUp,
    Lead,
    LostReason,
    StatusChange,
)


class ReadOnlyAdmin:
    """Customers are read here, never written: every write of a customer goes through the
    product's pages and API, which run the duplicate check, re-index the record and write the
    history. (Ownership is never edited here either: see `assignments.admin`.)"""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ContactInline(ReadOnlyAdmin, admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = [
        "company_name",
        "province",
        "city",
        "industry",
        "status",
        "pool_team",
        "created_at",
    ]
    list_filter = ["status", "province", "pool_team"]
    search_fields = ["company_name", "uscc", "website"]
    inlines = [ContactInline]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["lead", "kind", "author", "occurred_at"]
    list_filter = ["kind"]
    search_fields = ["lead__company_name", "note"]


@admin.register(DealStage)
class DealStageAdmin(admin.ModelAdmin):
    """The ordered deal stages and their win probabilities: admins edit this list here. A
    stage in use cannot be deleted (deals keep theirs); untick `active` to retire it."""

    list_display = ["name_en", "name_zh", "probability", "position", "active"]
    list_editable = ["probability", "position", "active"]


@admin.register(LostReason)
class LostReasonAdmin(admin.ModelAdmin):
    """Why customers are lost: admins edit this list here (untick `active` to retire one)."""

    list_display = ["name_en", "name_zh", "position", "active"]
    list_editable = ["position", "active"]


@admin.register(Deal)
class DealAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["title", "lead", "amount", "currency", "stage", "status", "closed_at"]
    list_filter = ["status", "stage", "currency"]
    search_fields = ["title", "lead__company_name"]
    list_select_related = ["lead", "stage"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["lead", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status"]
    list_select_related = ["lead", "actor"]


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Who exported which customers (导出记录): read-only, the exports write these."""

    list_display = ["started_at", "user", "format", "scope", "rows", "completed", "finished_at"]
    list_filter = ["format", "scope", "completed"]
    search_fields = ["user__username", "user__display_name"]
    date_hierarchy = "started_at"
    list_select_related = ["user"]
