from django.contrib import admin

from .models import Contact, FollowUp, Lead


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
