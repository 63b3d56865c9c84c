from django.contrib import admin

from .models import Ownership, OwnershipEvent, PoolPolicy


@admin.register(PoolPolicy)
class PoolPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "claim_limit",
        "protection_period",
        "followup_extension",
        "max_protection",
        "cooldown",
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ownership and its history are changed only by the services; here they are read."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ownership)
class OwnershipAdmin(ReadOnlyAdmin):
    list_display = ["lead", "owner", "started_at", "protected_until", "ended_at", "end_kind"]
    list_filter = ["end_kind"]
    search_fields = ["lead__company_name", "owner__username", "owner__display_name"]
    list_select_related = ["lead", "owner"]


@admin.register(OwnershipEvent)
class OwnershipEventAdmin(ReadOnlyAdmin):
    list_display = ["lead", "kind", "from_owner", "to_owner", "actor", "at"]
    list_filter = ["kind"]
    search_fields = ["lead__company_name", "reason"]
    list_select_related = ["lead", "from_owner", "to_owner", "actor"]
