from django.contrib import admin

from .models import Contact, FollowUp, Lead


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    """Company data only. Ownership is never edited here: it changes through the services
    (claim, release, reassign), which take the row lock and write the history."""

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
    readonly_fields = ["created_by", "created_at"]
    inlines = [ContactInline]

    def has_delete_permission(self, request, obj=None):
        # Leads carry ownership history, which is never deleted.
        return False

    def has_add_permission(self, request):
        # New leads go through create_lead (ownership, limits) on the pages or the API.
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["lead", "kind", "author", "occurred_at"]
    list_filter = ["kind"]
    search_fields = ["lead__company_name", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
